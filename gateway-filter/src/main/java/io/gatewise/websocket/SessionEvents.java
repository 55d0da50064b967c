package io.gatewise.websocket;

/** What a {@link SessionBridge} tells the proxy that upgraded it. */
public interface SessionEvents {
    /**
     * The upstream's connection was lost without a close (reset, end of stream, a broken frame).
     * Called once, before the client is told.
     *
     * @param cause what the upstream's leg failed with
     * @return the incident id the client's close reason carries
     */
    String upstreamLost(Throwable cause);

    /**
     * The upstream stopped reading: a frame to it has waited longer than the idle timeout to be
     * written. Called once, before the client is told.
     *
     * @return the incident id the client's close reason carries
     */
    String upstreamStalled();

    /**
     * The session ended: both sides have been told. Called once.
     *
     * @param code the code the gateway sent because of the close (to the side that did not close
     *     first, or to both for its own close)
     * @param initiator who ended it
     */
    void ended(int code, Initiator initiator);
}
