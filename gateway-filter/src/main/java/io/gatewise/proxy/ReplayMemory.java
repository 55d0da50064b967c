package io.gatewise.proxy;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory all request bodies kept for a retry may take together ({@code gateway.replayMemory}).
 * A body is admitted by its declared length, so the bound holds whatever its senders do; its
 * buffer then grows only with the bytes that arrive, so a client that declares a large body and
 * sends nothing costs next to nothing. A body not admitted streams through.
 */
public final class ReplayMemory {
    private final long limit;
    private final AtomicLong reserved = new AtomicLong();
    private final AtomicLong held = new AtomicLong();

    /** @param limit bytes all kept bodies may take together; 0 keeps none */
    public ReplayMemory(long limit) {
        this.limit = limit;
    }

    /**
     * @param bytes a body's declared length
     * @return whether it may be kept; if so, {@link #release} must follow
     */
    boolean tryReserve(long bytes) {
        while (true) {
            long current = reserved.get();
            if (current + bytes > limit) {
                return false;
            }
            if (reserved.compareAndSet(current, current + bytes)) {
                return true;
            }
        }
    }

    /** @param bytes buffer bytes a kept body took as its bytes arrived */
    void allocated(long bytes) {
        held.addAndGet(bytes);
    }

    /**
     * Gives back what a kept body took, once its request has ended.
     *
     * @param reservedBytes its declared length
     * @param heldBytes the buffer it allocated
     */
    void release(long reservedBytes, long heldBytes) {
        reserved.addAndGet(-reservedBytes);
        held.addAndGet(-heldBytes);
    }

    /** @return bytes admitted by declared length, for bodies not yet released */
    long reservedBytes() {
        return reserved.get();
    }

    /** @return bytes of buffer the kept bodies hold now */
    long heldBytes() {
        return held.get();
    }
}
