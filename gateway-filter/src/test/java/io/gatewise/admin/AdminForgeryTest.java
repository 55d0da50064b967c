package io.gatewise.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.route.Route;
import io.gatewise.testing.RawClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a page on another site can make an operator's browser send to the admin listener (a form
 * post, a {@code text/plain} or empty body, the operator's cached Basic credentials, the browser's
 * own {@code Origin} and {@code Sec-Fetch-Site}) never acts; a program's request still does.
 */
class AdminForgeryTest {
    private static final String MAINTENANCE_ON = "{\"route\":\"/api/\",\"enabled\":true}";

    private final HttpClient http = HttpClient.newHttpClient();
    private AuditedAdmin admin;
    private List<String> audit;
    private int port;

    @BeforeEach
    void start() throws Exception {
        admin = AuditedAdmin.start();
        audit = admin.audit();
        port = admin.port();
    }

    @AfterEach
    void stop() throws Exception {
        admin.close();
    }

    @Test
    void cachedBasicCredentialsReadTheStatusPageButTakeNoAction() throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + AdminApiTest.TOKEN)
                .getBytes(StandardCharsets.UTF_8));

        assertThat(send(request("/admin/status").header("Authorization", basic).GET()).statusCode()).isEqualTo(200);
        HttpResponse<String> action = send(json(request("/admin/maintenance").header("Authorization", basic)));

        assertThat(action.statusCode()).isEqualTo(401);
        assertThat(action.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"gatewise-admin\"");
        assertThat(action.body()).contains("\"result\":\"failure\"", "Authorization: Bearer");
        assertNotInMaintenance();
        assertThat(audit).anySatisfy(line -> assertThat(line)
                .startsWith("admin action=maintenance client=127.0.0.1 result=refused actions take the token"));
    }

    @Test
    void onlyAJsonBodyActsWhateverElseABrowserFormCanSend() throws Exception {
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "application/jsonx", "text/json")) {
            HttpResponse<String> response = send(bearer("/admin/maintenance").header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString(MAINTENANCE_ON)));
            assertThat(response.statusCode()).as(type).isEqualTo(415);
            assertThat(response.headers().firstValue("Accept-Post")).hasValue("application/json");
        }
        HttpResponse<String> none = send(bearer("/admin/config/reload").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(none.statusCode()).as("an empty post without a type").isEqualTo(415);
        assertThat(none.body()).contains("Content-Type: application/json (got none)");
        assertNotInMaintenance();

        HttpResponse<String> json = send(bearer("/admin/maintenance").header("Content-Type",
                "Application/JSON; charset=utf-8").POST(HttpRequest.BodyPublishers.ofString(MAINTENANCE_ON)));
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(route().inMaintenance()).isTrue();
    }

    @Test
    void aRequestTheBrowserSaysAnotherSiteSentIsRefused() throws Exception {
        for (String origin : List.of("http://evil.example", "null", "http://127.0.0.1:" + (port + 1),
                "https://127.0.0.1:" + port, "http://localhost:" + port, "http://127.0.0.1:" + port + "/x", "::")) {
            HttpResponse<String> response = send(json(bearer("/admin/maintenance").header("Origin", origin)));
            assertThat(response.statusCode()).as(origin).isEqualTo(403);
            assertThat(response.body()).contains("another origin");
        }
        for (String site : List.of("cross-site", "same-site", "CROSS-SITE")) {
            HttpResponse<String> response = send(json(bearer("/admin/maintenance").header("Sec-Fetch-Site", site)));
            assertThat(response.statusCode()).as(site).isEqualTo(403);
        }
        assertNotInMaintenance();
        assertThat(audit).allSatisfy(line -> assertThat(line).contains("result=refused"));
    }

    @Test
    void theListenersOwnOriginAndProgramsWithoutBrowserHeadersAct() throws Exception {
        HttpResponse<String> sameOrigin = send(json(bearer("/admin/maintenance")
                .header("Origin", "http://127.0.0.1:" + port).header("Sec-Fetch-Site", "same-origin")));
        assertThat(sameOrigin.statusCode()).isEqualTo(200);
        assertThat(route().inMaintenance()).isTrue();

        HttpResponse<String> program = send(bearer("/admin/maintenance").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"route\":\"/api/\",\"enabled\":false}")));
        assertThat(program.statusCode()).isEqualTo(200);
        assertNotInMaintenance();
        HttpResponse<String> typed = send(json(bearer("/admin/maintenance").header("Sec-Fetch-Site", "none")));
        assertThat(typed.statusCode()).as("typed into the address bar: no site sent it").isEqualTo(200);
    }

    @Test
    void aRefusedActionLosesNotTheNextRequestOnItsConnection() throws Exception {
        String refused = "POST /admin/maintenance HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + AdminApiTest.TOKEN + "\r\nContent-Type: text/plain\r\nContent-Length: " + MAINTENANCE_ON.length()
                + "\r\n\r\n";
        String next = "GET /admin/upstreams HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + AdminApiTest.TOKEN
                + "\r\n\r\n";
        try (RawClient client = RawClient.connect(port)) {
            assertThat(client.send(refused + MAINTENANCE_ON).readResponse()).startsWith("HTTP/1.1 415 ")
                    .doesNotContainIgnoringCase("connection: close");
            assertThat(client.send(next).readResponse()).as("the body was dropped, the connection goes on")
                    .startsWith("HTTP/1.1 200 ");
        }
        try (RawClient client = RawClient.connect(port)) {
            assertThat(client.send(refused).readResponse()).as("the body is still on its way")
                    .startsWith("HTTP/1.1 415 ").containsIgnoringCase("connection: close");
        }
    }

    @Test
    void readsStillTakeAnyOriginAsBefore() throws Exception {
        HttpResponse<String> response = send(bearer("/admin/upstreams").header("Sec-Fetch-Site", "cross-site").GET());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    private void assertNotInMaintenance() {
        assertThat(route().inMaintenance()).as("the route is not in maintenance").isFalse();
    }

    private Route route() {
        return admin.gateway().route("/api/").orElseThrow();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
    }

    private HttpRequest.Builder bearer(String path) {
        return request(path).header("Authorization", "Bearer " + AdminApiTest.TOKEN);
    }

    private static HttpRequest.Builder json(HttpRequest.Builder request) {
        return request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(MAINTENANCE_ON));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
