package io.gatewise.runtime;

import io.gatewise.client.ClientSettings;
import io.gatewise.client.UpstreamClients;
import io.gatewise.config.ConfigException;
import io.gatewise.config.ConfigSource;
import io.gatewise.config.ConfigWatcher;
import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.proxy.Snapshot;
import io.gatewise.route.Route;
import io.gatewise.upstream.Endpoint;
import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a running gateway's configuration: builds the next snapshot to the side, opens the
 * clients it needs, swaps it in, and then drains what is gone, retires clients no route uses once
 * they are idle, restarts the health checks and republishes the recorder. It also reads the
 * configuration again from its source, and watches the file when {@code gateway.watchConfig} asks.
 * See {@link Gateway#reload} for what carries over.
 */
final class Reloader {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    /** How often clients no route uses any more are checked for being idle, to close them. */
    private static final long RETIRED_CLIENT_CHECK_MILLIS = 250;

    private final GatewayWiring wiring;
    private final ConfigSource configSource;
    private final Duration watchQuietPeriod;
    private final List<ServletContext> publishedOn = new CopyOnWriteArrayList<>();
    /** Clients of settings no route of the current snapshot uses, closed once idle; guarded by this. */
    private final Set<ClientSettings> retiringClients = new HashSet<>();
    private boolean retiredClientCheckScheduled;
    private ConfigWatcher watcher;
    private volatile ConfigVersion version;
    private volatile ReloadStats stats = ReloadStats.NONE;

    Reloader(GatewayWiring wiring, ConfigSource configSource, Duration watchQuietPeriod) {
        this.wiring = wiring;
        this.configSource = configSource;
        this.watchQuietPeriod = watchQuietPeriod;
        this.version = new ConfigVersion(1, configSource == null ? Optional.empty() : configSource.digestNow());
        wiring.reloader = this;
    }

    ConfigVersion version() {
        return version;
    }

    ReloadStats stats() {
        return stats;
    }

    Optional<ConfigSource> configSource() {
        return Optional.ofNullable(configSource);
    }

    /** @return the watcher of the config file; null if none runs */
    synchronized ConfigWatcher watcher() {
        return watcher;
    }

    /** Publishes the recorder on a web application's context, now and after each reload. */
    void publishOn(ServletContext context) {
        publishedOn.add(context);
        wiring.snapshot().recorder().publish(context);
    }

    ReloadResult reloadFromSource() {
        if (configSource == null) {
            return refused("no config source: the gateway " + wiring.name() + " was given its configuration in code"
                    + " (expected: Gateway.builder(config).configSource(...) to reload from a file)");
        }
        ConfigSource.Loaded loaded;
        try {
            loaded = configSource.load();
        } catch (ConfigException e) {
            return refused(e.getMessage());
        }
        return reload(loaded.config(), Optional.of(loaded.digest()));
    }

    synchronized ReloadResult reload(GatewayConfig next, Optional<String> digest) {
        Snapshot running = wiring.snapshot();
        List<ClientSettings> opened = new ArrayList<>();
        RestartOnlyKeys.Applied applied;
        Snapshot built;
        try {
            applied = RestartOnlyKeys.apply(running.config(), next);
            GatewayConfig config = applied.config();
            openClients(config, opened);
            built = wiring.snapshot(config, running.routes());
        } catch (RuntimeException e) {
            UpstreamClients current = wiring.clients();
            opened.forEach(settings -> current.closeIfIdle(settings));
            return refused(describe(e));
        }
        wiring.swap(built);
        wiring.tracing().reload(built.config().tracing());
        afterSwap(running, built);
        version = version.next(digest);
        ReloadResult result = ReloadResult.succeeded(version, wiring.clock().instant(), applied.restartRequired());
        stats = stats.with(result);
        LOG.info("Gateway {} reloaded its configuration (version {}): {} route(s)", wiring.name(), version,
                built.routes().routes().size());
        if (!applied.restartRequired().isEmpty()) {
            LOG.warn("Gateway {}: {} changed but take effect only after a restart; the running values stay",
                    wiring.name(), String.join(", ", applied.restartRequired()));
        }
        return result;
    }

    private static String describe(RuntimeException e) {
        if (e instanceof ConfigException || e instanceof IllegalStateException) {
            Throwable cause = e.getCause();
            return e.getMessage() + (e instanceof IllegalStateException && cause != null && cause.getMessage() != null
                    && !e.getMessage().contains(cause.getMessage()) ? ": " + cause.getMessage() : "");
        }
        return "cannot apply the configuration: " + e;
    }

    /** Starts, on a running gateway, each client the configuration asks for that is not open yet. */
    private void openClients(GatewayConfig config, List<ClientSettings> opened) {
        UpstreamClients current = wiring.clients();
        if (current == null) {
            return;
        }
        for (RouteConfig route : config.routes()) {
            ClientSettings settings = ClientSettings.of(route);
            if (!current.isOpen(settings)) {
                current.clientFor(settings);
                opened.add(settings);
            }
        }
    }

    synchronized ReloadResult refused(String error) {
        ReloadResult result = ReloadResult.failed(error, version, wiring.clock().instant());
        stats = stats.with(result);
        LOG.error("Gateway {} kept its configuration (version {}); the reload was refused: {}", wiring.name(),
                version, error);
        return result;
    }

    /** Health checks on the new routes, drains what is gone, retires unused clients, republishes. */
    private void afterSwap(Snapshot before, Snapshot after) {
        Set<Endpoint> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        after.routes().routes().forEach(route -> kept.addAll(route.pool().endpoints()));
        for (Route route : before.routes().routes()) {
            for (Endpoint endpoint : route.pool().endpoints()) {
                if (!kept.contains(endpoint)) {
                    endpoint.drain(true);
                }
            }
        }
        Set<String> paths = new HashSet<>();
        after.routes().routes().forEach(route -> paths.add(route.config().path()));
        wiring.traffic.retainRoutes(paths);
        for (ServletContext context : publishedOn) {
            after.recorder().publish(context);
        }
        UpstreamClients clients = wiring.clients();
        if (clients != null) {
            wiring.restartHealthChecks(after);
            Set<ClientSettings> used = settingsOf(after);
            for (ClientSettings settings : clients.settings()) {
                if (!used.contains(settings)) {
                    retiringClients.add(settings);
                }
            }
            scheduleRetiredClientCheck(clients);
        }
        syncWatcher();
    }

    private static Set<ClientSettings> settingsOf(Snapshot snapshot) {
        Set<ClientSettings> used = new HashSet<>();
        snapshot.routes().routes().forEach(route -> used.add(route.clientSettings()));
        return used;
    }

    private void scheduleRetiredClientCheck(UpstreamClients clients) {
        if (!retiringClients.isEmpty() && !retiredClientCheckScheduled) {
            retiredClientCheckScheduled = true;
            clients.scheduler().schedule(this::closeRetiredClients, RETIRED_CLIENT_CHECK_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Closes each retiring client through which no exchange is in flight, no WebSocket session is
     * open and no connection is busy. A request routed just before a swap takes its client before it
     * counts as in flight, so a client is never closed before one check period has passed.
     */
    private synchronized void closeRetiredClients() {
        retiredClientCheckScheduled = false;
        UpstreamClients current = wiring.clients();
        if (current == null) {
            return;
        }
        Set<ClientSettings> used = settingsOf(wiring.snapshot());
        retiringClients.removeIf(settings -> used.contains(settings) || !wiring.inFlight().anyThrough(settings)
                && !wiring.webSockets().anyThrough(settings) && current.closeIfIdle(settings));
        scheduleRetiredClientCheck(current);
    }

    /** Starts or stops the watcher of the config file, as {@code gateway.watchConfig} says. */
    synchronized void syncWatcher() {
        boolean wanted = wiring.clients() != null && wiring.config().gateway().watchConfig();
        if (!wanted) {
            stopWatcher();
            return;
        }
        if (watcher != null) {
            return;
        }
        Optional<Path> file = configSource == null ? Optional.empty() : configSource.file();
        if (file.isEmpty()) {
            LOG.warn("Gateway {}: gateway.watchConfig is true, but its configuration did not come from a file;"
                    + " nothing to watch", wiring.name());
            return;
        }
        try {
            watcher = ConfigWatcher.start(file.get(), watchQuietPeriod, this::reloadFromSource);
        } catch (IOException | RuntimeException e) {
            LOG.error("Gateway {}: cannot watch {} for changes (gateway.watchConfig): {}", wiring.name(), file.get(),
                    e.toString());
        }
    }

    /** Stops watching the file and forgets the clients waiting to retire: the gateway stops. */
    synchronized void stop() {
        stopWatcher();
        retiringClients.clear();
    }

    private void stopWatcher() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }
}
