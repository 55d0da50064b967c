package io.gatewise.failure;

/** Told about every upstream failure once, after it is recorded: logs, metrics, alerts. */
@FunctionalInterface
public interface FailureListener {
    /**
     * Called on the thread that recorded the failure; must not block.
     *
     * @param event the failure and the request it belongs to
     */
    void onFailure(FailureEvent event);
}
