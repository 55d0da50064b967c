package io.gatewise.observe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The certificates the gateway's own TLS listeners serve now, as the listener last loaded them:
 * what the expiry meter and the certificate-expiry alert read. A listener replaces its list at
 * start and after each reload of its certificate files; a gateway without a TLS listener (in a
 * WAR, say) keeps an empty list.
 */
public final class ListenerCertificates {
    private final List<Consumer<List<Served>>> watchers = new CopyOnWriteArrayList<>();
    private volatile List<Served> served = List.of();

    /**
     * One certificate a listener serves.
     *
     * @param listener the listener's name, such as {@code tls}
     * @param key the config key of its entry, such as {@code gateway.tls.certificates[0]}
     * @param subject the leaf's subject as it is shown: its common name, else the whole
     *     distinguished name
     * @param serial the leaf's serial number, in hex
     * @param notAfter when the leaf's validity ends
     * @param certificateFile the certificate file, as configured
     */
    public record Served(String listener, String key, String subject, String serial, Instant notAfter,
            String certificateFile) {
        /** Checks that nothing is missing. */
        public Served {
            Objects.requireNonNull(listener, "listener");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(serial, "serial");
            Objects.requireNonNull(notAfter, "notAfter");
            Objects.requireNonNull(certificateFile, "certificateFile");
        }
    }

    /** @return every certificate served now, by listener, each listener's in its configured order */
    public List<Served> all() {
        return served;
    }

    /**
     * Replaces what one listener serves, and tells the watchers.
     *
     * @param listener the listener's name
     * @param certificates what it serves from now on; empty when it stops
     */
    public void replace(String listener, List<Served> certificates) {
        List<Served> next;
        synchronized (this) {
            next = new ArrayList<>();
            for (Served kept : served) {
                if (!kept.listener().equals(listener)) {
                    next.add(kept);
                }
            }
            for (Served added : certificates) {
                if (!added.listener().equals(listener)) {
                    throw new IllegalArgumentException("certificate of listener " + added.listener() + " given for "
                            + listener);
                }
                next.add(added);
            }
            next = List.copyOf(next);
            served = next;
        }
        for (Consumer<List<Served>> watcher : watchers) {
            watcher.accept(next);
        }
    }

    /**
     * @param watcher told the whole list after each {@link #replace}, on the replacing thread, and
     *     once now
     */
    public void watch(Consumer<List<Served>> watcher) {
        watchers.add(Objects.requireNonNull(watcher, "watcher"));
        watcher.accept(served);
    }
}
