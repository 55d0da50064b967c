package io.gatewise.alert;

import io.gatewise.config.GatewayConfig;
import io.gatewise.observe.ListenerCertificates;
import io.gatewise.observe.TrafficWindows;
import io.gatewise.route.RouteTable;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What the alert rules read of the running gateway, and nothing more. */
public interface AlertInputs {
    /** @return the gateway's name: every alert's {@code instance} label */
    String name();

    /** @return the configuration in use: its {@code alerts} section */
    GatewayConfig config();

    /** @return the clock the rules tell time by */
    Clock clock();

    /** @return the routes now, with their upstream pools */
    RouteTable routes();

    /** @return requests and error answers per route over the last minutes */
    TrafficWindows traffic();

    /** @return the latest reload, if it was refused; empty if none was or the latest succeeded */
    Optional<RefusedReload> refusedReload();

    /** @return the registry the webhook delivery's meters go to; empty with the metrics off */
    Optional<MeterRegistry> meterRegistry();

    /**
     * @return the certificates the gateway's own TLS listeners serve now; none by default, as for
     *     a gateway in a WAR, whose container terminates TLS
     */
    default List<ListenerCertificates.Served> listenerCertificates() {
        return List.of();
    }

    /**
     * A reload the gateway refused, so the configuration before it still serves.
     *
     * @param at when
     * @param error why, with the file, line and column of the fault
     * @param version the version that still serves
     */
    record RefusedReload(Instant at, String error, String version) {
    }
}
