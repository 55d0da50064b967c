package io.gatewise.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * One upstream server of a route: where requests are forwarded.
 *
 * <p>The URL is {@code http} or {@code https}, names a host, and may carry a base path that is
 * put in front of every forwarded path ({@code http://10.0.0.5:9001/v2}). It has no query,
 * fragment or user info.
 *
 * @param url the URL as configured, with any trailing slash of the base path removed
 * @param weight its share of the route's traffic relative to the other upstreams (default
 *     {@value #DEFAULT_WEIGHT})
 * @param backup whether it takes traffic only when no primary upstream is available (default no)
 */
@JsonDeserialize(builder = UpstreamConfig.Builder.class)
public record UpstreamConfig(URI url, int weight, boolean backup) {
    /** Default {@code weight}. */
    public static final int DEFAULT_WEIGHT = 1;

    private static final String EXPECTED = "an http or https URL such as http://127.0.0.1:9001";

    /**
     * @param url the upstream URL, such as {@code http://127.0.0.1:9001}
     * @return the upstream
     * @throws ConfigException if the URL is not a valid upstream URL
     */
    public static UpstreamConfig of(String url) {
        return builder().url(url).build();
    }

    /** @return the scheme, {@code http} or {@code https} */
    public String scheme() {
        return url.getScheme();
    }

    /** @return the host name or address literal */
    public String host() {
        return url.getHost();
    }

    /** @return the port, the scheme's default when the URL has none */
    public int port() {
        return url.getPort() > 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
    }

    /** @return the base path in raw (encoded) form, without trailing slash; empty for none */
    public String basePath() {
        String path = url.getRawPath();
        return path == null ? "" : path;
    }

    /** @return {@code scheme://host:port}, the origin requests are sent to */
    public String origin() {
        return url.getScheme() + "://" + url.getRawAuthority();
    }

    @Override
    public String toString() {
        return url + (weight == DEFAULT_WEIGHT ? "" : " weight " + weight) + (backup ? " (backup)" : "");
    }

    /** @return an empty builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link UpstreamConfig}, checking each value as it is set and the URL's presence at the end. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private URI url;
        private int weight = DEFAULT_WEIGHT;
        private boolean backup;

        private Builder() {
        }

        /** Sets {@link UpstreamConfig#weight()}: 1 to 100. */
        @JsonProperty("weight")
        public Builder weight(int weight) {
            this.weight = ConfigException.requireRange("weight", weight, 1, 100, "");
            return this;
        }

        /** Sets {@link UpstreamConfig#backup()}. */
        @JsonProperty("backup")
        public Builder backup(boolean backup) {
            this.backup = backup;
            return this;
        }

        /**
         * @param url the upstream URL, such as {@code http://127.0.0.1:9001}
         * @return this builder
         * @throws ConfigException if the URL is malformed, not http(s), has no host, or carries a
         *     query, fragment or user info
         */
        @JsonProperty("url")
        public Builder url(String url) {
            this.url = parse(url);
            return this;
        }

        /** @return the upstream */
        public UpstreamConfig build() {
            if (url == null) {
                throw ConfigException.invalid("url", "missing (expected: " + EXPECTED + ")");
            }
            return new UpstreamConfig(url, weight, backup);
        }

        /** @return the host of an authority the URI class could not read as one, such as {@code 0x7f.1:80} */
        private static String hostOf(String authority) {
            if (authority == null) {
                return null;
            }
            String host = authority.substring(authority.lastIndexOf('@') + 1);
            int colon = host.lastIndexOf(':');
            return colon >= 0 && host.indexOf(']') < colon ? host.substring(0, colon) : host;
        }

        private static URI parse(String text) {
            if (text == null || text.isBlank()) {
                throw ConfigException.invalid("url", "empty (expected: " + EXPECTED + ")");
            }
            URI uri;
            try {
                uri = new URI(text.trim());
            } catch (URISyntaxException e) {
                throw ConfigException.invalid("url", ConfigValues.quote(text) + " is malformed: " + e.getReason()
                        + " at index " + e.getIndex() + " (expected: " + EXPECTED + ")");
            }
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                throw ConfigException.invalid("url", ConfigValues.quote(text) + " has "
                        + (scheme == null ? "no scheme" : "scheme " + scheme) + " (expected: " + EXPECTED + ")");
            }
            String host = uri.getHost() != null ? uri.getHost() : hostOf(uri.getRawAuthority());
            if (host != null && host.startsWith("[")) {
                try {
                    IpLiterals.checkEmbeddedIpv4(host.substring(1, host.length() - 1));
                } catch (IpLiterals.Unreadable e) {
                    throw ConfigException.invalid("url", ConfigValues.quote(text) + " (expected: " + e.expected()
                            + ")");
                }
            } else if (host != null && IpLiterals.looksLikeIpv4(host) && !IpLiterals.isStrictIpv4(host)) {
                throw ConfigException.invalid("url", ConfigValues.quote(text) + " (expected: "
                        + IpLiterals.ambiguousIpv4(host) + ")");
            }
            if (uri.getHost() == null) {
                throw ConfigException.invalid("url", ConfigValues.quote(text) + " has no valid host (expected: "
                        + EXPECTED + ")");
            }
            if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw ConfigException.invalid("url", ConfigValues.quote(text)
                        + " carries user info, a query or a fragment (expected: scheme, host, port and"
                        + " an optional base path only)");
            }
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            try {
                return new URI(scheme + "://" + uri.getRawAuthority() + path);
            } catch (URISyntaxException e) {
                throw ConfigException.invalid("url", ConfigValues.quote(text) + " is malformed (expected: "
                        + EXPECTED + ")");
            }
        }
    }
}
