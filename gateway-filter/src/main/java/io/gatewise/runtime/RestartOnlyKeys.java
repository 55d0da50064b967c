package io.gatewise.runtime;

import io.gatewise.config.GatewayConfig;
import io.gatewise.config.ServerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The keys a running gateway cannot change, because what they configure was made once at start
 * (the listener, the access log, the DNS cache, the meters, the admin listener, ...): the one list
 * of them ({@link #names()}), which README's table must match (a test reads both).
 */
final class RestartOnlyKeys {
    /** One key: how to read it, and how to put the running value back. */
    private record Key<T>(String name, Function<ServerConfig, T> value, BiConsumer<ServerConfig.Builder, T> keep) {
        boolean changed(ServerConfig running, ServerConfig next) {
            return !Objects.equals(value.apply(running), value.apply(next));
        }

        void keepRunning(ServerConfig running, ServerConfig.Builder next) {
            keep.accept(next, value.apply(running));
        }
    }

    private static final List<Key<?>> KEYS = List.of(
            new Key<>("gateway.host", ServerConfig::host, ServerConfig.Builder::host),
            new Key<>("gateway.port", ServerConfig::port, ServerConfig.Builder::port),
            new Key<>("gateway.accessLog", ServerConfig::accessLog, ServerConfig.Builder::accessLog),
            new Key<>("gateway.shutdownTimeout", ServerConfig::shutdownTimeout, ServerConfig.Builder::shutdownTimeout),
            new Key<>("gateway.shutdownDelay", ServerConfig::shutdownDelay, ServerConfig.Builder::shutdownDelay),
            new Key<>("gateway.metrics", ServerConfig::metrics, ServerConfig.Builder::metrics),
            new Key<>("gateway.limits", ServerConfig::limits, ServerConfig.Builder::limits),
            new Key<>("gateway.dnsCache", ServerConfig::dnsCache, ServerConfig.Builder::dnsCache),
            new Key<>("gateway.replayMemory", ServerConfig::replayMemory, ServerConfig.Builder::replayMemory),
            new Key<>("gateway.prohibitedAddresses", ServerConfig::prohibitedAddresses,
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
        for (Key<?> key : KEYS) {
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
        if (changed.isEmpty()) {
            return new Applied(next, List.of());
        }
        return new Applied(applied.build(), List.copyOf(changed));
    }
}
