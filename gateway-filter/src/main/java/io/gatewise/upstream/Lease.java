package io.gatewise.upstream;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One attempt's hold on an upstream, from the pick to its end. Picking took the endpoint's circuit
 * permit; the lease gives it back exactly once, however the attempt ends:
 * <ul>
 *   <li>{@link #sent()} when the attempt goes out (counts it, and holds an in-flight slot);</li>
 *   <li>{@link #succeeded()} or {@link #failed()} when the upstream answered or failed: the
 *       verdict counts towards ejection and the circuit;</li>
 *   <li>{@link #abandoned()} or {@link #released()} when it ends without a verdict on the
 *       upstream: the client left, the gateway failed, or the attempt was never sent.</li>
 * </ul>
 * The first ending call wins; later ones do nothing and return false, so a late callback can
 * neither count an attempt twice nor leak a half-open circuit's trial slot.
 */
public final class Lease {
    private static final int PICKED = 0;
    private static final int SENT = 1;
    private static final int ENDED = 2;

    private final Endpoint endpoint;
    private final AtomicInteger state = new AtomicInteger(PICKED);
    private volatile UpstreamState changedState;

    Lease(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** @return the upstream this lease holds */
    public Endpoint endpoint() {
        return endpoint;
    }

    /** Counts the attempt as sent: from now on it is in flight until it ends. */
    public void sent() {
        if (state.compareAndSet(PICKED, SENT)) {
            endpoint.attemptSent();
        }
    }

    /** @return whether this call ended the lease: the upstream answered */
    public boolean succeeded() {
        return endWithVerdict(null);
    }

    /**
     * @param reason what it failed with: the RFC 9209 type, such as {@code connection_refused}, or
     *     {@code received-status=503} for an error status the route retries on
     * @return whether this call ended the lease: the upstream failed the attempt
     */
    public boolean failed(String reason) {
        return endWithVerdict(Objects.requireNonNull(reason, "reason"));
    }

    /**
     * Ends the attempt without a verdict on the upstream: the client left or the gateway failed.
     *
     * @return whether this call ended the lease
     */
    public boolean abandoned() {
        int previous = state.getAndSet(ENDED);
        if (previous == ENDED) {
            return false;
        }
        endpoint.attemptAbandoned(previous == SENT);
        return true;
    }

    /**
     * Gives the upstream back when no attempt is made with it after all (or, once sent, ends it
     * like {@link #abandoned()}).
     *
     * @return whether this call ended the lease
     */
    public boolean released() {
        return abandoned();
    }

    private boolean endWithVerdict(String failure) {
        int previous = state.getAndSet(ENDED);
        if (previous == ENDED) {
            return false;
        }
        UpstreamState changed = endpoint.attemptEnded(previous == SENT, failure);
        if (changed != null) {
            // Written only when the verdict changed something: no volatile write on the success path.
            changedState = changed;
        }
        return true;
    }

    /**
     * @return the state the attempt's failure put its upstream in ({@link UpstreamState#EJECTED},
     *     {@link UpstreamState#CIRCUIT_OPEN}); null while it has not ended, or when it changed nothing
     */
    public UpstreamState changedState() {
        return changedState;
    }

    @Override
    public String toString() {
        return "lease on " + endpoint.nextHop() + " (" + switch (state.get()) {
            case PICKED -> "picked";
            case SENT -> "sent";
            default -> "ended";
        } + ")";
    }
}
