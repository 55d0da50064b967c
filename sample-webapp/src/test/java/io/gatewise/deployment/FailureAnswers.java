package io.gatewise.deployment;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.SoftAssertions;

/**
 * Sends one failing request per method and page format and checks each answer is the gateway's
 * own: status, {@code Proxy-Status}, {@code Cache-Control}, {@code Vary} and the page in the
 * negotiated format ({@code HEAD}: the headers only).
 */
final class FailureAnswers {
    static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

    /** A page format: what the client asks for, what it gets, and how its body begins. */
    enum Format {
        HTML("text/html", "text/html;charset=utf-8", "<!DOCTYPE html>"),
        PROBLEM_JSON("application/problem+json", "application/problem+json", "{\"type\":"),
        TEXT("text/plain", "text/plain;charset=utf-8", "502 ");

        final String accept;
        final String contentType;
        final String bodyStart;

        Format(String accept, String contentType, String bodyStart) {
            this.accept = accept;
            this.contentType = contentType;
            this.bodyStart = bodyStart;
        }
    }

    private FailureAnswers() {
    }

    /**
     * @param failing a URL whose route's only upstream refuses connections
     * @param gatewayName the gateway's name in {@code Proxy-Status}
     */
    static void assertGatewayPagesForEveryMethodAndFormat(URI failing, String gatewayName) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        SoftAssertions softly = new SoftAssertions();
        for (String method : METHODS) {
            for (Format format : Format.values()) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(failing)
                        .method(method, method.equals("HEAD") || method.equals("GET") || method.equals("DELETE")
                                || method.equals("OPTIONS") ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString("{\"order\":7}"))
                        .header("Accept", format.accept).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                String what = method + " " + format;
                softly.assertThat(response.statusCode()).as(what).isEqualTo(502);
                softly.assertThat(header(response, "Proxy-Status")).as(what + " Proxy-Status: the visitor view")
                        .isEqualTo(gatewayName + "; error=connection_refused");
                softly.assertThat(header(response, "X-Content-Type-Options")).as(what + " X-Content-Type-Options")
                        .isEqualTo("nosniff");
                softly.assertThat(response.headers().firstValue("Cache-Control")).as(what + " Cache-Control")
                        .contains("no-store");
                softly.assertThat(response.headers().firstValue("Vary")).as(what + " Vary")
                        .contains("Accept, Accept-Language");
                softly.assertThat(header(response, "Content-Type")).as(what + " Content-Type")
                        .isEqualToIgnoringWhitespace(format.contentType);
                if (method.equals("HEAD")) {
                    softly.assertThat(response.body()).as(what + " body").isEmpty();
                } else {
                    softly.assertThat(response.body()).as(what + " body").startsWith(format.bodyStart)
                            .contains("connection_refused").doesNotContain("127.0.0.1");
                }
            }
        }
        softly.assertAll();
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse("(none)");
    }
}
