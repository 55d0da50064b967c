package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * One receiver of the gateway's alerts: an Alertmanager webhook (v4) endpoint, or any receiver
 * built for one.
 *
 * @param url where alerts are posted: {@code http} or {@code https} with a host, such as
 *     {@code http://alerts.internal:9093/hook}
 * @param secret the key of the HMAC-SHA256 of each body, sent as
 *     {@code X-Gatewise-Signature: sha256=<hex>}; empty for unsigned bodies. Never shown.
 */
@JsonDeserialize(builder = AlertWebhookConfig.Builder.class)
public record AlertWebhookConfig(URI url, Optional<String> secret) {
    private static final int MIN_SECRET = 16;
    private static final int MAX_SECRET = 512;

    /**
     * @return the webhook as metrics and logs name it: {@code host:port} of its URL, never its
     *     path, query or secret
     */
    public String label() {
        int port = url.getPort() != -1 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
        String host = url.getHost();
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return "{url: " + url.getScheme() + "://" + label() + (secret.isPresent() ? ", secret: (hidden)" : "") + "}";
    }

    /** @return a builder; a url is required */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link AlertWebhookConfig}, checking each value as it is set. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private URI url;
        private String secret;

        private Builder() {
        }

        /** Sets {@link AlertWebhookConfig#url()}: {@code http} or {@code https}, with a host. */
        @JsonProperty("url")
        public Builder url(String url) {
            if (url == null || url.isBlank()) {
                throw ConfigException.invalid("url", "missing (expected: an http or https URL such as"
                        + " http://alerts.internal:9093/hook)");
            }
            URI parsed;
            try {
                parsed = new URI(url.trim());
            } catch (URISyntaxException e) {
                throw ConfigException.invalid("url", shown(url) + " is not a URL (expected: an http or https URL"
                        + " such as http://alerts.internal:9093/hook)");
            }
            String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw ConfigException.invalid("url", shown(url) + " (expected: an http or https URL such as"
                        + " http://alerts.internal:9093/hook)");
            }
            if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
                throw ConfigException.invalid("url", shown(url) + " has no host (expected: an http or https URL"
                        + " such as http://alerts.internal:9093/hook)");
            }
            if (parsed.getRawUserInfo() != null) {
                throw ConfigException.invalid("url", "a URL with user information (expected: no user:password@ in"
                        + " the URL; sign the bodies with secret instead)");
            }
            this.url = parsed;
            return this;
        }

        /** Sets {@link AlertWebhookConfig#secret()}: 16 to 512 printable characters, no spaces. */
        @JsonProperty("secret")
        public Builder secret(String secret) {
            if (secret == null || secret.length() < MIN_SECRET || secret.length() > MAX_SECRET
                    || !ConfigValues.isPrintableWithoutSpaces(secret)) {
                // Never the value itself: it may be a real secret, one character off.
                throw ConfigException.invalid("secret", (secret == null ? "missing" : secret.length() + " characters")
                        + " (expected: " + MIN_SECRET + " to " + MAX_SECRET + " printable characters, no spaces)");
            }
            this.secret = secret;
            return this;
        }

        /**
         * @return the webhook
         * @throws ConfigException without a url
         */
        public AlertWebhookConfig build() {
            if (url == null) {
                throw ConfigException.invalid("url", "missing (expected: an http or https URL such as"
                        + " http://alerts.internal:9093/hook)");
            }
            return new AlertWebhookConfig(url, Optional.ofNullable(secret));
        }

        /** A URL may carry a token in its query: a message shows its scheme and host at most. */
        private static String shown(String url) {
            int query = url.indexOf('?');
            return ConfigValues.quote(query < 0 ? url : url.substring(0, query) + "?…");
        }
    }
}
