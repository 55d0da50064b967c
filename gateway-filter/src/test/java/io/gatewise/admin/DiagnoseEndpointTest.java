package io.gatewise.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatewise.config.AdminConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.faults.ClosedPort;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.RunningGateway;
import io.gatewise.testing.TestClock;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /admin/diagnose} on a real gateway's admin listener: the JSON of the issue, the
 * refusal of anything but a configured route (no probes to a URL through the admin API), the
 * token rule, the hints' language and the interval per upstream, timed by a test clock.
 */
class DiagnoseEndpointTest {
    private static final String TOKEN = AdminApiTest.TOKEN;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final TestClock clock = new TestClock();
    private RunningGateway gateway;
    private String refused;

    @BeforeEach
    void start() throws Exception {
        refused = "http://127.0.0.1:" + ClosedPort.find();
        gateway = gateways.builder().clock(clock)
                .route(RouteConfig.builder().path("/api/").upstream(refused).build())
                .admin(AdminConfig.builder().port(0).token(TOKEN).build())
                .start();
    }

    private HttpResponse<String> get(String query, String token, String language) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.adminUrl() + "/admin/diagnose" + query))
                .timeout(Duration.ofSeconds(20));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (language != null) {
            request.header("Accept-Language", language);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String route(String value) {
        return "?route=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void diagnosisOfAConfiguredRouteHasTheStepsTheVerdictAndTheHints() throws Exception {
        HttpResponse<String> response = get(route("/api/"), TOKEN, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("application/json"));
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("route").asText()).isEqualTo("/api/");
        assertThat(body.get("ok").asBoolean()).isFalse();
        JsonNode upstream = body.get("upstreams").get(0);
        assertThat(upstream.get("url").asText()).isEqualTo(refused);
        assertThat(upstream.get("cached").asBoolean()).isFalse();
        List<String> steps = new ArrayList<>();
        upstream.get("steps").forEach(step -> steps.add(step.get("step").asText() + "=" + step.get("ok")));
        assertThat(steps).containsExactly("resolve=true", "connect=false", "tls=null", "http=null");
        JsonNode connect = upstream.get("steps").get(1);
        assertThat(connect.get("ms").isIntegralNumber()).isTrue();
        assertThat(connect.get("detail").get("addresses").get(0).get("error").asText()).isEqualTo("refused");
        assertThat(upstream.get("steps").get(3).get("skipped").asBoolean()).isTrue();
        JsonNode verdict = upstream.get("verdict");
        assertThat(verdict.get("ok").asBoolean()).isFalse();
        assertThat(verdict.get("error_type").asText()).isEqualTo("connection_refused");
        assertThat(verdict.get("cause").asText()).isEqualTo("upstream_down");
        assertThat(verdict.get("phase").asText()).isEqualTo("connect");
        assertThat(upstream.get("hints").get(0).asText()).contains("upstream process is running");
    }

    @Test
    void hintsFollowAcceptLanguage() throws Exception {
        JsonNode body = json.readTree(get(route("/api/"), TOKEN, "zh-CN,zh;q=0.9").body());

        assertThat(body.get("upstreams").get(0).get("hints").get(0).asText()).contains("上游进程");
    }

    @Test
    void anUpstreamIsDiagnosedAtMostOncePerIntervalAndTheReusedOneSaysSo() throws Exception {
        JsonNode first = json.readTree(get(route("/api/"), TOKEN, null).body()).get("upstreams").get(0);
        clock.advance(Duration.ofSeconds(1));
        JsonNode second = json.readTree(get(route("/api/"), TOKEN, null).body()).get("upstreams").get(0);
        clock.advance(Duration.ofSeconds(9));
        JsonNode third = json.readTree(get(route("/api/"), TOKEN, null).body()).get("upstreams").get(0);

        assertThat(first.get("cached").asBoolean()).isFalse();
        assertThat(second.get("cached").asBoolean()).isTrue();
        assertThat(second.get("time")).as("the first run's time, a second later").isEqualTo(first.get("time"));
        assertThat(third.get("cached").asBoolean()).isFalse();
        assertThat(third.get("time").asText()).isEqualTo(clock.instant().toString());
    }

    @Test
    void aFlushOfTheDnsCacheIsNeverAnsweredWithAReusedDiagnosis() throws Exception {
        JsonNode first = json.readTree(get(route("/api/"), TOKEN, null).body()).get("upstreams").get(0);
        clock.advance(Duration.ofSeconds(1));
        JsonNode flushed = json.readTree(get(route("/api/") + "&flush=true", TOKEN, null).body())
                .get("upstreams").get(0);

        assertThat(first.get("cached").asBoolean()).isFalse();
        assertThat(flushed.get("cached").asBoolean()).as("a run of its own, after the flush").isFalse();
        assertThat(flushed.get("time").asText()).isEqualTo(clock.instant().toString());
    }

    @Test
    void aUrlIsRefusedNeverProbed() throws Exception {
        // A listener of the test's own on loopback: were the URL probed, its connection would be waiting here.
        try (ServerSocket target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            HttpResponse<String> response = get(route("http://127.0.0.1:" + target.getLocalPort()
                    + "/latest/meta-data/"), TOKEN, null);

            assertThat(response.statusCode()).isEqualTo(400);
            target.setSoTimeout(500);
            assertThatThrownBy(target::accept).as("no connection reached the URL")
                    .isInstanceOf(SocketTimeoutException.class);
            assertThat(json.readTree(response.body()).get("error").asText()).contains("never a URL");
        }
        assertThat(get(route("//127.0.0.1:22/"), TOKEN, null).statusCode()).as("not a configured route either")
                .isEqualTo(404);
    }

    @Test
    void unknownRoutesUpstreamsAndBadParametersAreRefusedWithWhatThereIs() throws Exception {
        HttpResponse<String> unknown = get(route("/nope/"), TOKEN, null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json.readTree(unknown.body()).get("error").asText()).isEqualTo(
                "no route /nope/ (expected one of: [/api/])");

        HttpResponse<String> otherUpstream = get(route("/api/") + "&upstream=" + URLEncoder.encode(
                "http://127.0.0.1:1", StandardCharsets.UTF_8), TOKEN, null);
        assertThat(otherUpstream.statusCode()).isEqualTo(404);
        assertThat(json.readTree(otherUpstream.body()).get("error").asText()).contains("has no upstream")
                .contains(refused);

        assertThat(get("", TOKEN, null).statusCode()).isEqualTo(400);
        assertThat(get(route("/api/") + "&flush=yes", TOKEN, null).statusCode()).isEqualTo(400);
        assertThat(get(route("/api/"), null, null).statusCode()).as("the admin token is required").isEqualTo(401);
        assertThat(gateway.server().gateway().diagnoses().all()).as("nothing ran for a refused request").isEmpty();
    }

    @Test
    void theStatusPageLinksEachUpstreamToItsDiagnosis() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(gateway.adminUrl() + "/admin/status"))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());

        // HTML-escaped as the template engine escapes every value: a browser reads it back as the plain link.
        String link = "/admin/diagnose?route&#x3D;%2Fapi%2F&amp;upstream&#x3D;" + URLEncoder.encode(refused,
                StandardCharsets.UTF_8);
        assertThat(page.body()).contains("<a href=\"" + link + "\">diagnose</a>");
        String followed = link.replace("&amp;", "&").replace("&#x3D;", "=");
        assertThat(get(followed.substring("/admin/diagnose".length()), TOKEN, null).statusCode()).isEqualTo(200);
    }
}
