package io.gatewise.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.failure.FailureEvent;
import io.gatewise.faults.ClosedPort;
import io.gatewise.testing.Digests;
import io.gatewise.testing.EchoServlet;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.H2cGateway;
import io.gatewise.testing.JettyUpstream;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Requests over HTTP/2 behave as over HTTP/1.1: a body of unknown length is forwarded, the
 * forwarding headers name the {@code :authority}, failures are answered alike; and a route's
 * {@code protocol} picks what the upstream is spoken to in.
 */
class Http2ProxyTest {
    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private H2cGateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    private H2cGateway start(String protocol, String upstreamUrl) throws Exception {
        gateway = H2cGateway.start(GatewayConfig.builder().route(RouteConfig.builder().path("/api/")
                .protocol(protocol).upstream(upstreamUrl).build()).build());
        return gateway;
    }

    private static byte[] body(int length) {
        byte[] body = new byte[length];
        for (int i = 0; i < length; i++) {
            body[i] = (byte) (i * 31);
        }
        return body;
    }

    @Test
    void bodyOfUnknownLengthIsForwardedToAnHttp1Upstream() throws Exception {
        JettyUpstream upstream = gateways.jettyUpstream(new EchoServlet());
        byte[] body = body(200_000);

        ContentResponse response = start("auto", upstream.url()).h2cClient().POST(gateway.url("/api/orders"))
                .body(new InputStreamRequestContent("application/octet-stream", new ByteArrayInputStream(body)))
                .timeout(10, TimeUnit.SECONDS).send();

        assertThat(response.getVersion()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(response.getStatus()).isEqualTo(200);
        Map<String, Object> echo = EchoServlet.parse(response.getContentAsString());
        assertThat(echo.get("protocol")).as("auto in cleartext: HTTP/1.1").isEqualTo("HTTP/1.1");
        assertThat(((Number) echo.get("bodyLength")).longValue()).isEqualTo(body.length);
        assertThat(echo.get("bodySha256")).isEqualTo(Digests.hex(Digests.sha256().digest(body)));
    }

    @Test
    void routeOfProtocolH2SpeaksH2cToItsUpstreamWithTheBodyAndTrailersAccepted() throws Exception {
        JettyUpstream upstream = gateways.jettyUpstream(new EchoServlet());
        byte[] body = body(70_000);

        ContentResponse response = start("h2", upstream.url()).h2cClient().POST(gateway.url("/api/orders"))
                .headers(headers -> headers.put("TE", "trailers"))
                .body(new InputStreamRequestContent("application/octet-stream", new ByteArrayInputStream(body)))
                .timeout(10, TimeUnit.SECONDS).send();

        Map<String, Object> echo = EchoServlet.parse(response.getContentAsString());
        assertThat(echo.get("protocol")).isEqualTo("HTTP/2.0");
        assertThat(((Number) echo.get("bodyLength")).longValue()).isEqualTo(body.length);
        assertThat(EchoServlet.header(echo, "te")).containsExactly("trailers");
    }

    @Test
    void routeOfProtocolHttp1SpeaksHttp1EvenToAnUpstreamThatSpeaksH2c() throws Exception {
        JettyUpstream upstream = gateways.jettyUpstream(new EchoServlet());

        ContentResponse response = start("http1", upstream.url()).h2cClient().GET(gateway.url("/api/orders"));

        assertThat(EchoServlet.parse(response.getContentAsString()).get("protocol")).isEqualTo("HTTP/1.1");
    }

    @Test
    void getOverHttp2SendsNoBody() throws Exception {
        JettyUpstream upstream = gateways.jettyUpstream(new EchoServlet());

        ContentResponse response = start("auto", upstream.url()).h2cClient().GET(gateway.url("/api/orders"));

        Map<String, Object> echo = EchoServlet.parse(response.getContentAsString());
        assertThat(EchoServlet.header(echo, "transfer-encoding")).isEmpty();
        assertThat(((Number) echo.get("bodyLength")).longValue()).isZero();
    }

    @Test
    void forwardingHeadersNameTheAuthority() throws Exception {
        JettyUpstream upstream = gateways.jettyUpstream(new EchoServlet());

        ContentResponse response = start("auto", upstream.url()).h2cClient().GET(gateway.url("/api/orders"));

        Map<String, Object> echo = EchoServlet.parse(response.getContentAsString());
        String authority = "127.0.0.1:" + gateway.port();
        assertThat(EchoServlet.header(echo, "x-forwarded-host")).containsExactly(authority);
        assertThat(EchoServlet.header(echo, "forwarded")).singleElement().asString()
                .contains("host=\"" + authority + "\"").contains("proto=http").doesNotContain("null");
        assertThat(EchoServlet.header(echo, "via")).singleElement().asString().contains("2.0 ");
    }

    @Test
    void failureOverHttp2IsAnsweredAsOverHttp1() throws Exception {
        start("auto", "http://127.0.0.1:" + ClosedPort.find());

        ContentResponse response = gateway.h2cClient().newRequest(gateway.url("/api/orders"))
                .headers(headers -> headers.put("Accept", "application/problem+json")).send();

        assertThat(response.getVersion()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(response.getStatus()).isEqualTo(502);
        assertThat(response.getHeaders().get("Proxy-Status")).contains("error=connection_refused");
        assertThat(response.getMediaType()).isEqualTo("application/problem+json");
        FailureEvent event = gateway.events().poll(10, TimeUnit.SECONDS);
        assertThat(event).isNotNull();
        assertThat(response.getContentAsString()).contains("connection_refused").contains(event.failure().incident());
        assertThat(List.of(event.failure().type().token())).containsExactly("connection_refused");
    }
}
