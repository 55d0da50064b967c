package io.gatewise.errorpage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatewise.config.ErrorPagesConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.TimeoutsConfig;
import io.gatewise.failure.DnsLookupException;
import io.gatewise.faults.ClosedPort;
import io.gatewise.faults.Faults;
import io.gatewise.faults.SocketUpstream;
import io.gatewise.testing.ExhaustedPoolServlet;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.RunningGateway;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gateway's own error pages, through a real gateway on loopback: per format and language, for
 * five causes; the visitor view never shows addresses or exception text; the operator view, for a
 * trusted request, shows all of it with the hints.
 */
class ErrorPagesTest {
    private static final String TOKEN = "operator-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** On a static field: what {@link #start()} starts serves every test of the class. */
    @RegisterExtension
    static final GatewayExtension gateways = new GatewayExtension();

    private static SocketUpstream garbage;
    private static SocketUpstream busy;
    private static SocketUpstream silent;
    private static int closedPort;
    private static RunningGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        garbage = gateways.socketUpstream(Faults.garbage());
        busy = gateways.socketUpstream(Faults.raw("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 120\r\n"
                + "X-Internal-Trace: secret-upstream-detail\r\nContent-Length: 29\r\nConnection: close\r\n\r\n"
                + "stack trace of the upstream!!"));
        silent = gateways.socketUpstream(Faults.noResponse());
        closedPort = ClosedPort.find();
        gateway = gateways.builder()
                .route(RouteConfig.builder().path("/refused/").upstream("http://127.0.0.1:" + closedPort).build())
                .route(RouteConfig.builder().path("/garbage/").upstream(garbage.url()).build())
                .route(RouteConfig.builder().path("/slow/").upstream(silent.url())
                        .timeouts(TimeoutsConfig.builder().response(Duration.ofSeconds(1)).build()).build())
                .route(RouteConfig.builder().path("/dns/").upstream("http://orders.test:8080").build())
                .route(RouteConfig.builder().path("/busy/").upstream(busy.url()).interceptStatuses(List.of(502, 503))
                        .build())
                .route(RouteConfig.builder().path("/busy-raw/").upstream(busy.url()).build())
                .resolver((host, port, context, promise) -> {
                    if (host.equals("orders.test")) {
                        promise.failed(DnsLookupException.failed(host, "NXDOMAIN <script>alert(1)</script>"));
                    } else {
                        // Every other upstream is an address literal: resolved here, never by DNS.
                        promise.succeeded(List.of(new InetSocketAddress(host, port)));
                    }
                })
                .context(context -> context.addServlet(ExhaustedPoolServlet.class, "/pool/*"))
                .gatewayErrorPages(ErrorPagesConfig.builder()
                        .operator(new ErrorPagesConfig.Operator().token(TOKEN))
                        .contact("Questions? Call the platform team on extension 4242.")
                        .build())
                .start();
    }

    /** One staged failure per cause, with the texts its page must show. */
    static List<Arguments> causes() {
        return List.of(
                Arguments.of("/refused/x", 502, "upstream_down", "The service is not responding", "服务暂时没有响应"),
                Arguments.of("/garbage/x", 502, "invalid_response", "The service sent an invalid answer",
                        "服务返回了无效的响应"),
                Arguments.of("/slow/x", 504, "upstream_overloaded", "The service is too slow to answer", "服务响应太慢"),
                Arguments.of("/dns/x", 502, "dns", "The service's address could not be found", "找不到服务的地址"),
                Arguments.of("/nowhere", 500, "configuration", "This address is not served here", "这个地址没有对应的服务"));
    }

    private static ContentResponse get(String path, Consumer<HttpFields.Mutable> headers) throws Exception {
        ContentResponse response = gateway.get(path, headers);
        gateway.onlyEvent();
        return response;
    }

    private static void assertVisitorOnly(String body) {
        assertThat(body).doesNotContain("127.0.0.1:" + closedPort).doesNotContain(garbage.url().substring(7))
                .doesNotContain("orders.test").doesNotContain("Exception").doesNotContain("<script>")
                .doesNotContain(TOKEN);
    }

    @ParameterizedTest(name = "{2}: HTML in English and Chinese")
    @MethodSource("causes")
    void htmlPageInEnglishAndChinese(String path, int status, String cause, String english, String chinese)
            throws Exception {
        ContentResponse en = get(path, h -> h.put("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
                .put("Accept-Language", "en-GB,en;q=0.9"));
        ContentResponse zh = get(path, h -> h.put("Accept", "text/html").put("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5"));

        for (ContentResponse response : List.of(en, zh)) {
            assertThat(response.getStatus()).isEqualTo(status);
            assertThat(response.getMediaType()).isEqualTo("text/html");
            assertThat(response.getHeaders().get("Vary")).isEqualTo("Accept, Accept-Language");
            assertThat(response.getHeaders().get("Cache-Control")).isEqualTo("no-store");
            assertThat(response.getContent().length).as("self-contained page under 20 KB").isLessThan(20 * 1024);
            assertThat(response.getContentAsString()).contains("<main>", "<header>", "<footer>", "id=\"gateway\"",
                    "Questions? Call the platform team on extension 4242.").doesNotContain("<script", "http://", "https://");
            assertVisitorOnly(response.getContentAsString());
        }
        assertThat(en.getHeaders().get("Content-Language")).isEqualTo("en");
        assertThat(en.getContentAsString()).contains("<html lang=\"en\">", escape(english), "What can I do?");
        assertThat(zh.getHeaders().get("Content-Language")).isEqualTo("zh-CN");
        assertThat(new String(zh.getContent(), StandardCharsets.UTF_8)).contains("<html lang=\"zh-CN\">", chinese,
                "我可以做什么？");
    }

    @ParameterizedTest(name = "{2}: problem+json")
    @MethodSource("causes")
    void problemJsonForPrograms(String path, int status, String cause, String english, String chinese)
            throws Exception {
        ContentResponse response = get(path, h -> h.put("Accept", "application/json"));

        assertThat(response.getStatus()).isEqualTo(status);
        assertThat(response.getMediaType()).isEqualTo("application/problem+json");
        JsonNode problem = JSON.readTree(response.getContent());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isEqualTo(english);
        assertThat(problem.get("cause").asText()).isEqualTo(cause);
        assertThat(problem.get("type").asText()).startsWith("https://www.iana.org/assignments/http-proxy-status#")
                .endsWith(problem.get("proxy_error").asText());
        assertThat(problem.get("instance").asText()).isEqualTo("urn:gatewise:incident:" + problem.get("incident").asText());
        assertThat(problem.has("operator")).isFalse();
        assertVisitorOnly(response.getContentAsString());
    }

    @ParameterizedTest(name = "{0}: the page for every method")
    @ValueSource(strings = {"PUT", "DELETE", "PATCH", "OPTIONS", "POST"})
    void everyMethodGetsThePage(String method) throws Exception {
        ContentResponse response = gateway.request("/refused/x")
                .method(method).headers(h -> h.put("Accept", "application/json"))
                .body(new StringRequestContent("application/json", "{\"id\":7}")).send();
        gateway.onlyEvent();

        assertThat(response.getStatus()).isEqualTo(502);
        assertThat(response.getMediaType()).as("Jetty's default renders pages for GET, POST and HEAD only")
                .isEqualTo("application/problem+json");
        assertThat(JSON.readTree(response.getContent()).get("proxy_error").asText()).isEqualTo("connection_refused");
    }

    @ParameterizedTest(name = "{2}: text for curl, in Chinese")
    @MethodSource("causes")
    void plainTextForCurl(String path, int status, String cause, String english, String chinese) throws Exception {
        ContentResponse curl = get(path, h -> h.put("Accept", "*/*"));
        ContentResponse zh = get(path, h -> h.put("Accept-Language", "zh-Hans"));

        assertThat(curl.getMediaType()).isEqualTo("text/plain");
        assertThat(curl.getContentAsString()).startsWith(status + " " + english + "\n");
        assertThat(zh.getContentAsString()).startsWith(status + " " + chinese + "\n").contains("事件编号");
        assertVisitorOnly(curl.getContentAsString());
        assertVisitorOnly(zh.getContentAsString());
    }

    @Test
    void operatorWithTheTokenSeesTheUpstreamTheReasonAndTheHints() throws Exception {
        ContentResponse html = get("/refused/x", h -> h.put("Accept", "text/html").put(ErrorPagesConfig.TOKEN_HEADER, TOKEN));
        ContentResponse json = get("/refused/x", h -> h.put("Accept", "application/json")
                .put(ErrorPagesConfig.TOKEN_HEADER, TOKEN));

        assertThat(html.getContentAsString()).contains("id=\"operator\"", "127.0.0.1:" + closedPort, "connection_refused",
                "Check that the upstream process is running", "routes[].upstreams[].url", "ConnectException");
        assertThat(RunningGateway.lastProxyStatusMember(html).parameters()).containsEntry("details", "connection refused");
        JsonNode operator = JSON.readTree(json.getContent()).get("operator");
        assertThat(operator.get("upstream").asText()).isEqualTo("127.0.0.1:" + closedPort);
        assertThat(operator.get("hints").get(0).get("key").asText()).isEqualTo("routes[].upstreams[].url");
    }

    @ParameterizedTest(name = "{0}: no sniffing; HTML allows no script, no framing")
    @ValueSource(strings = {"text/html", "application/json", "text/plain"})
    void everyPageForbidsSniffingAndHtmlForbidsScriptsAndFraming(String accept) throws Exception {
        ContentResponse failure = get("/refused/x", h -> h.put("Accept", accept));
        ContentResponse intercepted = gateway.get("/busy/x", h -> h.put("Accept", accept));

        for (ContentResponse response : List.of(failure, intercepted)) {
            assertThat(response.getHeaders().get("X-Content-Type-Options")).isEqualTo("nosniff");
            String policy = response.getHeaders().get("Content-Security-Policy");
            if (accept.equals("text/html")) {
                assertThat(policy).contains("default-src 'none'", "frame-ancestors 'none'", "style-src 'unsafe-inline'")
                        .doesNotContain("script-src");
            } else {
                assertThat(policy).as("a policy is for documents a browser renders").isNull();
            }
        }
    }

    @Test
    void serviceUnavailableSaysWhenToRetry() throws Exception {
        ContentResponse response = get("/pool/", h -> h.put("Accept", "text/html"));
        ContentResponse json = get("/pool/", h -> h.put("Accept", "application/json"));

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaders().get("Retry-After")).isEqualTo("5");
        assertThat(response.getContentAsString()).contains("The service is busy", "Try again in 5 seconds.");
        assertThat(JSON.readTree(json.getContent()).get("retry_after").asLong()).isEqualTo(5);
    }

    @Test
    void interceptedUpstreamErrorGetsTheGatewaysPageKeepingItsStatusAndRetryAfter() throws Exception {
        ContentResponse response = gateway.get("/busy/x", h -> h.put("Accept", "text/html").put("Accept-Language", "zh"));

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaders().get("Retry-After")).isEqualTo("120");
        assertThat(response.getHeaders().get("X-Internal-Trace")).isNull();
        assertThat(response.getContentAsString()).contains("服务报告了一个错误", "请在 120 秒后重试。")
                .doesNotContain("stack trace");
        assertThat(RunningGateway.lastProxyStatusMember(response).parameters()).containsEntry("received-status", 503L)
                .doesNotContainKey("error");
        assertThat(gateway.pendingEvents()).as("the upstream's own answer is no gateway failure").isEmpty();

        ContentResponse passed = gateway.get("/busy-raw/x", h -> h.put("Accept", "text/html"));
        assertThat(passed.getContentAsString()).as("without interception it passes through")
                .isEqualTo("stack trace of the upstream!!");
    }

    @Test
    void wrongTokenGetsTheVisitorView() throws Exception {
        ContentResponse response = get("/refused/x", h -> h.put("Accept", "text/html")
                .put(ErrorPagesConfig.TOKEN_HEADER, TOKEN + "x"));

        assertThat(response.getContentAsString()).doesNotContain("id=\"operator\"");
        assertVisitorOnly(response.getContentAsString());
        assertThat(RunningGateway.lastProxyStatusMember(response).parameters()).doesNotContainKey("details");
    }

    @Test
    void hostileUpstreamTextIsEscapedInTheOperatorView() throws Exception {
        ContentResponse response = get("/dns/x", h -> h.put("Accept", "text/html").put(ErrorPagesConfig.TOKEN_HEADER, TOKEN));

        assertThat(response.getContentAsString()).doesNotContain("<script>")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    @Test
    void hostileRequestPathAndHeadersNeverReachThePage() throws Exception {
        ContentResponse response = get("/nowhere/%3Cscript%3Ealert(1)%3C/script%3E%22'", h -> h
                .put("Accept", "text/html").put("Accept-Language", "<script>alert(1)</script>")
                .put("User-Agent", "<script>\"'\u0007").put("Referer", "javascript:alert(1)"));

        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(response.getContentAsString()).doesNotContain("<script").doesNotContain("javascript:")
                .contains("<html lang=\"en\">");
    }

    private static String escape(String text) {
        return text.replace("'", "&#39;");
    }
}
