package io.gatewise.proxy;

import jakarta.servlet.http.HttpServletResponse;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;

/**
 * Copies the server-to-proxy response head to the proxy-to-client response with each value as
 * the upstream sent it. Jetty 12.1's own copy rebuilds values from their parsed elements, which
 * drops quotes: {@code filename="report, final.csv"} became {@code filename=report, final.csv},
 * two elements for any client that splits on commas.
 */
final class ResponseHeaders {
    private ResponseHeaders() {
    }

    /**
     * @param proxyResponse the proxy-to-client response
     * @param serverResponse the upstream's response
     * @param hopHeaders lower-case names of hop-by-hop headers, never copied
     * @param filter drops (null) or replaces a field
     * @param viaHost the gateway's name in {@code Via}
     */
    static void copy(HttpServletResponse proxyResponse, Response serverResponse, Set<String> hopHeaders,
            UnaryOperator<HttpField> filter, String viaHost) {
        Set<String> copied = new HashSet<>();
        for (HttpField field : serverResponse.getHeaders()) {
            if (hopHeaders.contains(field.getLowerCaseName())) {
                continue;
            }
            HttpField kept = filter.apply(field);
            if (kept == null) {
                continue;
            }
            // The first of a name replaces what the container set (such as Date); the rest add to it.
            if (copied.add(kept.getLowerCaseName())) {
                proxyResponse.setHeader(kept.getName(), kept.getValue());
            } else {
                proxyResponse.addHeader(kept.getName(), kept.getValue());
            }
        }
        // RFC 9110 7.6.3: a proxy adds itself to Via in each message it forwards, responses too.
        String via = viaProtocol(serverResponse.getVersion()) + " " + viaHost;
        String upstreamVia = String.join(", ", proxyResponse.getHeaders(HttpHeader.VIA.asString()));
        proxyResponse.setHeader(HttpHeader.VIA.asString(), upstreamVia.isBlank() ? via : upstreamVia + ", " + via);
    }

    private static String viaProtocol(HttpVersion version) {
        String protocol = version == null ? HttpVersion.HTTP_1_1.asString() : version.asString();
        return protocol.toUpperCase(Locale.ROOT).startsWith("HTTP/") ? protocol.substring("HTTP/".length()) : protocol;
    }
}
