package io.gatewise.proxy;

import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
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
        HttpFields fields = serverResponse.getHeaders();
        int index = 0;
        for (HttpField field : fields) {
            int position = index++;
            if (hopHeaders.contains(field.getLowerCaseName())) {
                continue;
            }
            HttpField kept = filter.apply(field);
            if (kept == null) {
                continue;
            }
            // The first of a name replaces what the container set (such as Date); the rest add to it.
            // Fields are dropped by name, so the first of a name sent is the first kept.
            if (firstOfItsName(fields, field, position)) {
                proxyResponse.setHeader(kept.getName(), kept.getValue());
            } else {
                proxyResponse.addHeader(kept.getName(), kept.getValue());
            }
        }
        // RFC 9110 7.6.3: a proxy adds itself to Via in each message it forwards, responses too.
        String via = via(serverResponse.getVersion(), viaHost);
        if (!fields.contains(HttpHeader.VIA)) {
            proxyResponse.setHeader(HttpHeader.VIA.asString(), via);
            return;
        }
        String upstreamVia = String.join(", ", proxyResponse.getHeaders(HttpHeader.VIA.asString()));
        proxyResponse.setHeader(HttpHeader.VIA.asString(), upstreamVia.isBlank() ? via : upstreamVia + ", " + via);
    }

    /** @return whether no field before {@code position} has the field's name: no set to allocate per response */
    private static boolean firstOfItsName(HttpFields fields, HttpField field, int position) {
        HttpHeader header = field.getHeader();
        for (int i = 0; i < position; i++) {
            HttpField earlier = fields.getField(i);
            if (header != null ? earlier.getHeader() == header : field.is(earlier.getName())) {
                return false;
            }
        }
        return true;
    }

    /** The last {@code Via} element made, kept while the gateway's name and the protocol stay the same. */
    private record ViaElement(HttpVersion version, String host, String value) {
    }

    private static volatile ViaElement lastVia;

    private static String via(HttpVersion version, String host) {
        ViaElement last = lastVia;
        if (last != null && last.version == version && last.host.equals(host)) {
            return last.value;
        }
        ViaElement made = new ViaElement(version, host, viaProtocol(version) + " " + host);
        lastVia = made;
        return made.value;
    }

    private static String viaProtocol(HttpVersion version) {
        String protocol = version == null ? HttpVersion.HTTP_1_1.asString() : version.asString();
        return protocol.toUpperCase(Locale.ROOT).startsWith("HTTP/") ? protocol.substring("HTTP/".length()) : protocol;
    }
}
