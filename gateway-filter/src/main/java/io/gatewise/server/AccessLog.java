package io.gatewise.server;

import io.gatewise.exchange.ExchangeTrace;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.RequestLogWriter;

/**
 * The standalone server's access log: NCSA common fields, then the {@code Proxy-Status} the
 * gateway sent (empty for a plain success), the latency in milliseconds and the request's trace id
 * ({@code -} when it is in none):
 *
 * <pre>
 * 127.0.0.1 - - [24/Nov/2026:21:50:37 +0000] "GET /api/users HTTP/1.1" 502 312 "edge-1; error=connection_refused; next-hop=\"127.0.0.1:9001\"" 3 4bf92f3577b34da6a3ce929d0e0e4736
 * </pre>
 *
 * <p>A failure after the response was committed has no {@code Proxy-Status} (the head was already
 * sent); the failure log has it, with the same incident id the request attributes carry.
 */
public final class AccessLog {
    /** The {@code CustomRequestLog} format. */
    public static final String FORMAT = "%{client}a - %u %t \"%r\" %s %O \"%{Proxy-Status}o\" %{ms}T %{"
            + ExchangeTrace.TRACE_ID_ATTRIBUTE + "}attr";

    private AccessLog() {
    }

    /**
     * @param target {@code -} for standard output, a file path, or null for none
     * @return the writer, or null for none
     */
    static RequestLog.Writer writer(String target) {
        if (target == null) {
            return null;
        }
        if ("-".equals(target)) {
            return line -> System.out.println(line);
        }
        RequestLogWriter file = new RequestLogWriter(target);
        file.setAppend(true);
        return file;
    }
}
