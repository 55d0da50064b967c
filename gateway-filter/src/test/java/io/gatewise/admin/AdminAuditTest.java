package io.gatewise.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every admin action leaves one audit line: who, what, the result; what a client sent cannot
 * forge a second line. The servlet is served by a plain Jetty server here, with its audit lines
 * collected instead of logged.
 */
class AdminAuditTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private AuditedAdmin admin;

    @BeforeEach
    void start() throws Exception {
        admin = AuditedAdmin.start();
    }

    @AfterEach
    void stop() throws Exception {
        admin.close();
    }

    private int post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path))
                .header("Authorization", "Bearer " + AdminApiTest.TOKEN).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void anActionIsAuditedWithWhoWhatAndTheResult() throws Exception {
        assertThat(post("/admin/maintenance", "{\"route\":\"/api/\",\"enabled\":true}")).isEqualTo(200);

        assertThat(admin.audit()).containsExactly(
                "admin action=maintenance client=127.0.0.1 result=success {route=/api/, maintenance=true}");
        assertThat(admin.gateway().route("/api/").orElseThrow().inMaintenance()).isTrue();
    }

    @Test
    void aRefusedActionIsAuditedToo() throws Exception {
        assertThat(post("/admin/drain", "{\"route\":\"/api/\",\"upstream\":\"http://127.0.0.1:1\",\"enabled\":true}"))
                .isEqualTo(404);

        assertThat(admin.audit()).singleElement().asString().startsWith("admin action=drain client=127.0.0.1 result=not_found"
                + " route /api/ has no upstream http://127.0.0.1:1");
    }

    @Test
    void whatAClientSendsCannotForgeAnotherAuditLine() throws Exception {
        post("/admin/maintenance", "{\"route\":\"/x\\nadmin action=config_reload result=success\",\"enabled\":true}");

        assertThat(admin.audit()).singleElement().asString().doesNotContain("\n").contains("no route /x?admin action=");
    }

    @Test
    void theTestAlertActionIsAuditedEvenWithoutWebhooks() throws Exception {
        assertThat(post("/admin/alerts/test", "")).isEqualTo(422);

        assertThat(admin.audit()).containsExactly("admin action=alerts_test client=127.0.0.1 result=failure no webhook to"
                + " test (expected: alerts.webhooks in the configuration)");
    }
}
