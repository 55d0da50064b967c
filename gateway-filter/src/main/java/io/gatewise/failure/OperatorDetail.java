package io.gatewise.failure;

/**
 * The operator detail of a failure: each exception of the chain as {@code Type: message}, with
 * Jetty's long connection dumps cut short. For operators only; never shown to visitors.
 */
public final class OperatorDetail {
    private static final int MAX_MESSAGE = 160;
    private static final int MAX_DEPTH = 6;

    private OperatorDetail() {
    }

    /**
     * @param failure the failure, with its causes
     * @return each exception of the chain as {@code Type: message}, outermost first
     */
    public static String of(Throwable failure) {
        StringBuilder detail = new StringBuilder();
        int depth = 0;
        for (Throwable t = failure; t != null && depth < MAX_DEPTH; t = t.getCause() == t ? null : t.getCause()) {
            if (depth++ > 0) {
                detail.append(" <- ");
            }
            detail.append(t.getClass().getSimpleName());
            String message = t.getMessage();
            if (message != null && !message.isBlank()) {
                detail.append(": ").append(message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "..."
                        : message);
            }
        }
        return detail.toString();
    }
}
