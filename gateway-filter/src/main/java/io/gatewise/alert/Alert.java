package io.gatewise.alert;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One alert, as a webhook receives it and {@code GET /admin/alerts} lists it.
 *
 * @param status {@link #FIRING} or {@link #RESOLVED}
 * @param labels what identifies it: {@code alertname}, {@code route} and {@code upstream} where
 *     they apply, {@code severity}, {@code instance} (the gateway's name); sorted by name
 * @param annotations what it says: {@code summary}, {@code description}, and where they apply the
 *     top {@code error_type}, its {@code cause} and {@code phase}, the {@code hints} and a sample
 *     {@code proxy_status}; a resolved alert adds {@code resolved_after}
 * @param startsAt when it started firing
 * @param endsAt when it resolved; empty while it fires
 * @param fingerprint a stable hash of its labels: the same alert has the same one on every
 *     evaluation and every restart
 */
public record Alert(String status, Map<String, String> labels, Map<String, String> annotations, Instant startsAt,
        Optional<Instant> endsAt, String fingerprint) {
    /** {@link #status()} of an alert that fires. */
    public static final String FIRING = "firing";
    /** {@link #status()} of an alert that stopped firing. */
    public static final String RESOLVED = "resolved";
    /** A route answers too many requests with the gateway's own errors. */
    public static final String ROUTE_ERROR_RATE = "GatewiseRouteErrorRate";
    /** No upstream of a route can take traffic. */
    public static final String ROUTE_DOWN = "GatewiseRouteDown";
    /** An upstream's certificate ends within the configured time, or has ended. */
    public static final String CERTIFICATE_EXPIRING = "GatewiseCertificateExpiring";
    /** The last config reload was refused. */
    public static final String CONFIG_RELOAD_FAILED = "GatewiseConfigReloadFailed";
    /** The sample alert {@code POST /admin/alerts/test} sends. */
    public static final String TEST = "GatewiseTestAlert";

    /** Copies the maps: labels sorted by name, annotations in the order given. */
    public Alert {
        labels = Collections.unmodifiableMap(new TreeMap<>(labels));
        annotations = Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
    }

    /**
     * @return it as the webhook payload's {@code alerts[]} and {@code GET /admin/alerts} show it:
     *     {@code status}, {@code labels}, {@code annotations}, {@code startsAt}, {@code endsAt}
     *     ({@code 0001-01-01T00:00:00Z} while it fires, as Alertmanager writes it),
     *     {@code generatorURL} and {@code fingerprint}
     */
    public Map<String, Object> toJson() {
        return AlertPayload.json(this);
    }

    /** @return its {@code alertname} label */
    public String name() {
        return labels.get("alertname");
    }

    /**
     * @param labels an alert's labels
     * @return 16 hex digits of the SHA-256 of the labels, sorted by name: the same labels always
     *     give the same fingerprint
     */
    public static String fingerprint(Map<String, String> labels) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
            digest.update(label.getKey().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(label.getValue().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0xff);
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 8);
    }
}
