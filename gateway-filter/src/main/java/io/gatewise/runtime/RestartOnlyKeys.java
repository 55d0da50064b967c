package io.gatewise.runtime;

import io.gatewise.config.GatewayConfig;
import io.gatewise.config.ListenerTlsConfig;
import io.gatewise.config.ServerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The keys a running gateway cannot change, because what they configure was made once at start
 * (the listeners, the access log, the DNS cache, the meters, the admin listener, ...): the one list
 * of them ({@link #names()}), which the table in docs/operating.md must match (a test reads both).
 */
final class RestartOnlyKeys {
    /**
     * One key: how to read it, and how to put the running value back (given the whole running
     * section, so a key inside {@code tls} can keep its section's other running values too).
     */
    private record Key(String name, Function<ServerConfig, ?> value, BiConsumer<ServerConfig.Builder, ServerConfig> keep) {
        static <T> Key of(String name, Function<ServerConfig, T> value, BiConsumer<ServerConfig.Builder, T> keep) {
            return new Key(name, value, (next, running) -> keep.accept(next, value.apply(running)));
        }

        boolean changed(ServerConfig running, ServerConfig next) {
            return !Objects.equals(value.apply(running), value.apply(next));
        }

        void keepRunning(ServerConfig running, ServerConfig.Builder next) {
            keep.accept(next, running);
        }
    }

    /**
     * The TLS listener's keys: each is bound at start, so keeping one keeps the running
     * {@code tls} section whole (its other keys are then reported only if they changed too).
     */
    private static Key tlsKey(String name, Function<ListenerTlsConfig, ?> value) {
        return new Key(name, server -> server.tls().map(value), (next, running) -> next.tls(running.tls().orElse(null)));
    }

    private static final List<Key> KEYS = List.of(
            Key.of("gateway.host", ServerConfig::host, ServerConfig.Builder::host),
            Key.of("gateway.port", ServerConfig::port, ServerConfig.Builder::port),
            Key.of("gateway.http2", ServerConfig::http2, ServerConfig.Builder::http2),
            tlsKey("gateway.tls.port", ListenerTlsConfig::port),
            tlsKey("gateway.tls.certificates", ListenerTlsConfig::certificates),
            tlsKey("gateway.tls.protocols", ListenerTlsConfig::protocols),
            Key.of("gateway.accessLog", ServerConfig::accessLog, ServerConfig.Builder::accessLog),
            Key.of("gateway.shutdownTimeout", ServerConfig::shutdownTimeout, ServerConfig.Builder::shutdownTimeout),
            Key.of("gateway.shutdownDelay", ServerConfig::shutdownDelay, ServerConfig.Builder::shutdownDelay),
            Key.of("gateway.metrics", ServerConfig::metrics, ServerConfig.Builder::metrics),
            Key.of("gateway.warmup", ServerConfig::warmup, ServerConfig.Builder::warmup),
            Key.of("gateway.limits", ServerConfig::limits, ServerConfig.Builder::limits),
            Key.of("gateway.dnsCache", ServerConfig::dnsCache, ServerConfig.Builder::dnsCache),
            Key.of("gateway.replayMemory", ServerConfig::replayMemory, ServerConfig.Builder::replayMemory),
            Key.of("gateway.prohibitedAddresses", ServerConfig::prohibitedAddresses,
                    ServerConfig.Builder::prohibitedAddresses));

    /**
     * What a reload applies: the next configuration, with the running values of the keys that
     * need a restart.
     *
     * @param config the configuration to run with
     * @param restartRequired the keys whose new values wait for a restart
     */
    record Applied(GatewayConfig config, List<String> restartRequired) {
    }

    private RestartOnlyKeys() {
    }

    /** @return every key a reload cannot change, as {@link ReloadResult#restartRequired()} names them */
    static List<String> names() {
        List<String> names = new ArrayList<>();
        KEYS.forEach(key -> names.add(key.name()));
        names.add("admin");
        names.add("tracing");
        return List.copyOf(names);
    }

    /**
     * @param running the configuration in use
     * @param next the configuration asked for
     * @return the next configuration with the running values of the restart-only keys, and which
     *     of those keys it had changed
     */
    static Applied apply(GatewayConfig running, GatewayConfig next) {
        List<String> changed = new ArrayList<>();
        ServerConfig.Builder kept = next.gateway().toBuilder();
        for (Key key : KEYS) {
            if (key.changed(running.gateway(), next.gateway())) {
                changed.add(key.name());
                key.keepRunning(running.gateway(), kept);
            }
        }
        GatewayConfig.Builder applied = next.toBuilder().gateway(kept.build());
        if (!Objects.equals(running.admin(), next.admin())) {
            changed.add("admin");
            running.admin().ifPresentOrElse(applied::admin, applied::withoutAdmin);
        }
        if (!running.tracing().sameExport(next.tracing())) {
            // The exporter is bound at start; a reload applies samplingRatio and trustIncoming.
            changed.add("tracing");
            applied.tracing(running.tracing().toBuilder().samplingRatio(next.tracing().samplingRatio())
                    .trustIncoming(next.tracing().trustIncoming()).build());
        }
        if (changed.isEmpty()) {
            return new Applied(next, List.of());
        }
        return new Applied(applied.build(), List.copyOf(changed));
    }
}
