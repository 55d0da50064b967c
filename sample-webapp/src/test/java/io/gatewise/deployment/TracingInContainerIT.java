package io.gatewise.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tracing in the built WAR, in the real container distribution the build runs this in (Jetty
 * 12.1, Tomcat 10.1): with no OpenTelemetry of the application's, the gateway's own SDK starts in
 * the web application's class loader and sends its spans over OTLP/HTTP to a loopback receiver,
 * and the failure's problem details carry the trace the client's {@code traceparent} named.
 */
@ExtendWith(ArquillianExtension.class)
class TracingInContainerIT {
    private static final String CONTEXT = "traced";
    private static final String TRACE = "5bf92f3577b34da6a3ce929d0e0e4737";
    /** Spans go in batches every 5 seconds (OpenTelemetry's default): margin for a loaded machine. */
    private static final long WAIT_SECONDS = 60;
    private static final OtlpReceiver RECEIVER = OtlpReceiver.start();
    private static final int REFUSING = InContainer.refusingPort();

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive gateway() {
        return InContainer.gatewayWar(CONTEXT, """
                gateway: { name: traced-it }
                tracing:
                  enabled: true
                  endpoint: http://127.0.0.1:%d/v1/traces
                  serviceName: traced-war
                  headers: { x-api-key: in-container-key }
                routes:
                  - path: /
                    upstreams: [ { url: 'http://127.0.0.1:%d' } ]
                """.formatted(RECEIVER.port(), REFUSING));
    }

    @AfterAll
    static void stopReceiver() throws Exception {
        RECEIVER.close();
    }

    @Test
    void theGatewaysOwnExporterSendsTheSpansOfAFailureWhoseProblemDetailsNameItsTrace() throws Exception {
        HttpClient http = new HttpClient();
        http.start();
        try {
            ContentResponse response = http.newRequest(InContainer.resolve(base, CONTEXT, "orders"))
                    .headers(headers -> headers.put("traceparent", "00-" + TRACE + "-00f067aa0ba902b7-01")
                            .put("Accept", "application/problem+json"))
                    .timeout(WAIT_SECONDS, TimeUnit.SECONDS).send();

            assertThat(response.getStatus()).isEqualTo(502);
            assertThat(response.getContentAsString()).contains("\"trace_id\":\"" + TRACE + "\"");
            byte[] traceId = HexFormat.of().parseHex(TRACE);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (RECEIVER.find(traceId) == null && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            OtlpReceiver.Export export = RECEIVER.find(traceId);
            assertThat(export).as("an export with the trace's spans, in " + InContainer.name()).isNotNull();
            assertThat(export.contentType()).startsWith("application/x-protobuf");
            assertThat(export.apiKey()).isEqualTo("in-container-key");
            String text = new String(export.body(), StandardCharsets.ISO_8859_1);
            assertThat(text).contains("traced-war").contains("connection_refused").contains("gatewise.incident");
        } finally {
            http.stop();
        }
    }

    /** A loopback OTLP/HTTP receiver: keeps every export it gets, and answers 200. */
    static final class OtlpReceiver implements AutoCloseable {
        record Export(String contentType, String apiKey, byte[] body) {
        }

        private final Server server = new Server();
        private final ServerConnector connector = new ServerConnector(server);
        private final List<Export> exports = new CopyOnWriteArrayList<>();

        static OtlpReceiver start() {
            try {
                OtlpReceiver receiver = new OtlpReceiver();
                receiver.server.start();
                return receiver;
            } catch (Exception e) {
                throw new IllegalStateException("Cannot start the OTLP receiver", e);
            }
        }

        private OtlpReceiver() {
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            server.setHandler(new Handler.Abstract() {
                @Override
                public boolean handle(Request request, Response response, Callback callback) throws Exception {
                    ByteArrayOutputStream body = new ByteArrayOutputStream();
                    try (var in = Content.Source.asInputStream(request)) {
                        in.transferTo(body);
                    }
                    exports.add(new Export(request.getHeaders().get("Content-Type"),
                            request.getHeaders().get("x-api-key"), body.toByteArray()));
                    response.setStatus(200);
                    callback.succeeded();
                    return true;
                }
            });
        }

        int port() {
            return connector.getLocalPort();
        }

        /** @return the first export whose body holds these bytes; null if none came yet */
        Export find(byte[] bytes) {
            for (Export export : exports) {
                if (indexOf(export.body(), bytes) >= 0) {
                    return export;
                }
            }
            return null;
        }

        private static int indexOf(byte[] haystack, byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= haystack.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        @Override
        public void close() throws Exception {
            server.stop();
        }
    }
}
