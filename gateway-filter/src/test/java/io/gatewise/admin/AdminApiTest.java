package io.gatewise.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatewise.config.AdminConfig;
import io.gatewise.config.EjectionConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.UpstreamConfig;
import io.gatewise.faults.ClosedPort;
import io.gatewise.testing.EchoServlet;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.JettyUpstream;
import io.gatewise.testing.RunningGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin listener of a real gateway, on its own port: the open probes, the token rule, the
 * upstreams with the why, the actions and the recent failures, against real loopback upstreams.
 */
class AdminApiTest {
    static final String TOKEN = "s3cret-admin-token-0123";

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private RunningGateway gateway(String refused) throws Exception {
        JettyUpstream healthy = gateways.jettyUpstream(new EchoServlet());
        return gateways.builder()
                .route(RouteConfig.builder().path("/api/").upstreams(List.of(UpstreamConfig.builder().url(refused).build(),
                        UpstreamConfig.builder().url(healthy.url()).build()))
                        .ejection(EjectionConfig.builder().consecutiveFailures(1).baseTime(Duration.ofMinutes(5))
                                .maxEjectedPercent(50).build()).build())
                .route(RouteConfig.builder().path("/down/").upstream(refused).build())
                .admin(AdminConfig.builder().port(0).token(TOKEN).build())
                .start();
    }

    private HttpResponse<String> admin(RunningGateway gateway, String method, String path, String body, String token)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.adminUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(10));
        if ("POST".equals(method)) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(RunningGateway gateway, String path) throws Exception {
        return admin(gateway, "GET", path, null, TOKEN);
    }

    @Test
    void probesAreOpenAndTellLivenessFromReadiness() throws Exception {
        RunningGateway gateway = gateway("http://127.0.0.1:" + ClosedPort.find());

        assertThat(admin(gateway, "GET", "/livez", null, null).statusCode()).isEqualTo(200);
        HttpResponse<String> ready = admin(gateway, "GET", "/readyz", null, null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ready\n");
        assertThat(admin(gateway, "POST", "/readyz", "", null).statusCode()).isEqualTo(405);
        assertThat(gateway.get("/livez").getStatus()).as("the traffic port has no admin endpoints: unrouted")
                .isEqualTo(500);
    }

    @Test
    void withoutTheRightTokenEverythingElseIs401AndNothingElse() throws Exception {
        RunningGateway gateway = gateway("http://127.0.0.1:" + ClosedPort.find());

        for (String path : List.of("/metrics", "/admin/upstreams", "/admin/status", "/admin/failures", "/admin/nothing")) {
            HttpResponse<String> none = admin(gateway, "GET", path, null, null);
            HttpResponse<String> wrong = admin(gateway, "GET", path, null, TOKEN + "x");
            assertThat(none.statusCode()).as(path).isEqualTo(401);
            assertThat(none.body()).as(path).isEmpty();
            assertThat(none.headers().firstValue("WWW-Authenticate")).as(path).hasValueSatisfying(
                    challenge -> assertThat(challenge).startsWith("Bearer realm=\"gatewise-admin\""));
            assertThat(wrong.statusCode()).as(path).isEqualTo(401);
        }
        HttpResponse<String> action = admin(gateway, "POST", "/admin/maintenance",
                "{\"route\":\"/api/\",\"enabled\":true}", null);
        assertThat(action.statusCode()).isEqualTo(401);
        assertThat(gateway.server().gateway().route("/api/").orElseThrow().inMaintenance()).isFalse();
    }

    @Test
    void wrongTokensAreLimitedPerAddress() throws Exception {
        RunningGateway gateway = gateway("http://127.0.0.1:" + ClosedPort.find());
        // Earlier wrong attempts in this test's own gateway: none.
        for (int i = 0; i < WrongTokenLimiter.ATTEMPTS_PER_WINDOW; i++) {
            assertThat(admin(gateway, "GET", "/admin/upstreams", null, "guess-" + i).statusCode()).isEqualTo(401);
        }

        HttpResponse<String> limited = admin(gateway, "GET", "/admin/upstreams", null, TOKEN);

        assertThat(limited.statusCode()).as("refused without looking at the token").isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(admin(gateway, "GET", "/livez", null, null).statusCode()).as("probes are never limited")
                .isEqualTo(200);
    }

    @Test
    void upstreamsSayWhereEachStandsAndWhy() throws Exception {
        int refusedPort = ClosedPort.find();
        RunningGateway gateway = gateway("http://127.0.0.1:" + refusedPort);
        for (int i = 0; i < 3; i++) {
            gateway.get("/api/x");
        }

        HttpResponse<String> response = get(gateway, "/admin/upstreams");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode api = json.readTree(response.body()).get("routes").get(0);
        assertThat(api.get("route").asText()).isEqualTo("/api/");
        assertThat(api.get("maintenance").asBoolean()).isFalse();
        JsonNode refused = api.get("upstreams").get(0);
        assertThat(refused.get("url").asText()).isEqualTo("http://127.0.0.1:" + refusedPort);
        assertThat(refused.get("state").asText()).isEqualTo("ejected");
        assertThat(refused.get("reason").asText()).isEqualTo("connection_refused");
        assertThat(refused.get("until").isTextual()).isTrue();
        assertThat(refused.has("since") && refused.has("consecutiveFailures") && refused.has("inFlight")
                && refused.has("circuit") && refused.has("lastCheck")).isTrue();
        assertThat(api.get("upstreams").get(1).get("state").asText()).isEqualTo("healthy");
        assertThat(api.get("upstreams").get(1).get("reason").asText()).isEqualTo("ok");
    }

    @Test
    void maintenanceAndDrainAreActionsThatTakeEffect() throws Exception {
        int refusedPort = ClosedPort.find();
        RunningGateway gateway = gateway("http://127.0.0.1:" + refusedPort);

        HttpResponse<String> on = admin(gateway, "POST", "/admin/maintenance", "{\"route\":\"/api/\",\"enabled\":true}",
                TOKEN);
        assertThat(on.statusCode()).isEqualTo(200);
        assertThat(json.readTree(on.body()).get("result").asText()).isEqualTo("success");
        assertThat(gateway.get("/api/x").getStatus()).isEqualTo(503);
        assertThat(json.readTree(get(gateway, "/admin/upstreams").body()).get("routes").get(0).get("upstreams")
                .get(1).get("state").asText()).isEqualTo("maintenance");
        admin(gateway, "POST", "/admin/maintenance", "{\"route\":\"/api/\",\"enabled\":false}", TOKEN);
        assertThat(gateway.get("/api/x").getStatus()).isNotEqualTo(503);

        HttpResponse<String> drain = admin(gateway, "POST", "/admin/drain",
                "{\"route\":\"/api/\",\"upstream\":\"http://127.0.0.1:" + refusedPort + "\",\"enabled\":true}", TOKEN);
        assertThat(drain.statusCode()).isEqualTo(200);
        assertThat(json.readTree(get(gateway, "/admin/upstreams").body()).get("routes").get(0).get("upstreams")
                .get(0).get("state").asText()).isEqualTo("draining");
        assertThat(gateway.get("/api/x").getStatus()).as("only the healthy one gets traffic").isEqualTo(200);
    }

    @Test
    void actionsRefuseWhatTheyCannotDoWithAClearError() throws Exception {
        RunningGateway gateway = gateway("http://127.0.0.1:" + ClosedPort.find());

        HttpResponse<String> get = get(gateway, "/admin/maintenance");
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).contains("POST");
        HttpResponse<String> unknownRoute = admin(gateway, "POST", "/admin/maintenance",
                "{\"route\":\"/nope/\",\"enabled\":true}", TOKEN);
        assertThat(unknownRoute.statusCode()).isEqualTo(404);
        assertThat(unknownRoute.body()).contains("no route /nope/", "/api/", "/down/");
        HttpResponse<String> unknownUpstream = admin(gateway, "POST", "/admin/drain",
                "{\"route\":\"/api/\",\"upstream\":\"http://127.0.0.1:1\",\"enabled\":true}", TOKEN);
        assertThat(unknownUpstream.statusCode()).isEqualTo(404);
        assertThat(admin(gateway, "POST", "/admin/maintenance", "{\"route\":\"/api/\"}", TOKEN).body())
                .contains("enabled must be true or false");
        assertThat(admin(gateway, "POST", "/admin/maintenance", "not json", TOKEN).statusCode()).isEqualTo(400);
        assertThat(admin(gateway, "POST", "/admin/maintenance", "x".repeat(20_000), TOKEN).statusCode())
                .isEqualTo(400);
        assertThat(get(gateway, "/admin/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void dnsFlushForgetsCachedNames() throws Exception {
        RunningGateway gateway = gateway("http://127.0.0.1:" + ClosedPort.find());

        HttpResponse<String> all = admin(gateway, "POST", "/admin/dns/flush", "", TOKEN);
        HttpResponse<String> one = admin(gateway, "POST", "/admin/dns/flush", "{\"host\":\"orders.internal\"}", TOKEN);

        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(json.readTree(all.body()).get("result").asText()).isEqualTo("success");
        assertThat(json.readTree(one.body()).get("flushed").asInt()).isZero();
        assertThat(admin(gateway, "POST", "/admin/dns/flush", "{\"host\":7}", TOKEN).statusCode()).isEqualTo(400);
    }

    @Test
    void recentFailuresNewestFirstAndEachRecordWithItsDetail() throws Exception {
        RunningGateway gateway = gateway("http://127.0.0.1:" + ClosedPort.find());
        gateway.get("/down/first");
        gateway.get("/down/second");
        String newest = gateway.pendingEvents().get(1).failure().incident();

        JsonNode list = json.readTree(get(gateway, "/admin/failures?limit=5").body()).get("failures");
        assertThat(list).hasSize(2);
        assertThat(list.get(0).get("incident").asText()).isEqualTo(newest);
        assertThat(list.get(0).get("type").asText()).isEqualTo("connection_refused");
        assertThat(list.get(0).get("status").asInt()).isEqualTo(502);
        assertThat(list.get(0).get("route").asText()).isEqualTo("/down/");
        assertThat(json.readTree(get(gateway, "/admin/failures?limit=1").body()).get("failures")).hasSize(1);

        JsonNode record = json.readTree(get(gateway, "/admin/failures/" + newest).body());
        assertThat(record.get("path").asText()).isEqualTo("/down/second");
        assertThat(record.get("detail").asText()).contains("Connection refused");
        assertThat(get(gateway, "/admin/failures/NOPE0000").statusCode()).isEqualTo(404);
        assertThat(get(gateway, "/admin/failures?limit=0").statusCode()).isEqualTo(400);
        assertThat(get(gateway, "/admin/failures?limit=lots").statusCode()).isEqualTo(400);
    }

    @Test
    void reloadAppliesAGoodFileAndRefusesABadOneWithItsLocation() throws Exception {
        JettyUpstream upstream = gateways.jettyUpstream(new EchoServlet());
        Path file = dir.resolve("gateway.yaml");
        String head = "gateway: { name: edge-reload, host: 127.0.0.1, port: 0 }\n"
                + "admin: { port: 0, token: " + TOKEN + " }\nroutes:\n";
        String api = "  - path: /api/\n    upstreams: [ { url: '" + upstream.url() + "' } ]\n";
        Files.writeString(file, head + api);
        RunningGateway gateway = gateways.builder().configFile(file).start();
        assertThat(gateway.get("/new/x").getStatus()).as("not routed yet").isEqualTo(500);

        Files.writeString(file, head + api + api.replace("/api/", "/new/"));
        HttpResponse<String> good = admin(gateway, "POST", "/admin/config/reload", "", TOKEN);

        assertThat(good.statusCode()).isEqualTo(200);
        JsonNode result = json.readTree(good.body());
        assertThat(result.get("result").asText()).isEqualTo("success");
        assertThat(result.get("version").asText()).startsWith("2-");
        assertThat(gateway.get("/new/x").getStatus()).isEqualTo(200);

        Files.writeString(file, head + api.replace("upstreams:", "upstreamz:"));
        HttpResponse<String> bad = admin(gateway, "POST", "/admin/config/reload", "", TOKEN);

        assertThat(bad.statusCode()).isEqualTo(422);
        JsonNode refused = json.readTree(bad.body());
        assertThat(refused.get("result").asText()).isEqualTo("failure");
        assertThat(refused.get("error").asText()).startsWith(file + ":5:5: routes[0].upstreamz: unknown key");
        assertThat(gateway.get("/new/x").getStatus()).as("the old config still serves").isEqualTo(200);
        assertThat(get(gateway, "/admin/config/reload").statusCode()).isEqualTo(405);
    }
}
