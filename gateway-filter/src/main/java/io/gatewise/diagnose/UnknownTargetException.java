package io.gatewise.diagnose;

/** A diagnosis was asked for a route or upstream the configuration does not have. */
public final class UnknownTargetException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message what was asked for, and what there is */
    public UnknownTargetException(String message) {
        super(message);
    }
}
