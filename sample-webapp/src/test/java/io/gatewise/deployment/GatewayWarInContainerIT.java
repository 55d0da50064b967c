package io.gatewise.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.faults.Faults;
import io.gatewise.faults.SocketUpstream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The built WAR in the real container distribution the build runs this in (Jetty 12.1 and Tomcat
 * 10.1, unpacked from Maven Central): it proxies, it answers every failure as the standalone
 * gateway does, its failure log reaches the container's own log, and a route's own templates
 * replace the built-in page. The upstreams are this test's own, on 127.0.0.1.
 */
@ExtendWith(ArquillianExtension.class)
class GatewayWarInContainerIT {
    private static final String NAME = "edge-it";
    private static final String CONTEXT = "gw";
    private static final String TOKEN = "in-container-admin-token";
    private static final Containers.Running UPSTREAM = echoUpstream();
    private static final int REFUSING = InContainer.refusingPort();
    private static final Path ORDERS_PAGES = ordersPages();
    private static final SocketUpstream CUT = cutUpstream();

    @ArquillianResource
    private URL base;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Deployment(testable = false)
    static WebArchive gateway() {
        return InContainer.gatewayWar(CONTEXT, """
                gateway: { name: %s }
                admin: { token: %s }
                routes:
                  - path: /down/
                    upstreams: [ { url: 'http://127.0.0.1:%d' } ]
                  - path: /orders/
                    upstreams: [ { url: 'http://127.0.0.1:%d' } ]
                    errorPageTemplates: '%s'
                  - path: /cut/
                    upstreams: [ { url: 'http://127.0.0.1:%d' } ]
                  - path: /
                    upstreams: [ { url: 'http://127.0.0.1:%d' } ]
                """.formatted(NAME, TOKEN, REFUSING, REFUSING, ORDERS_PAGES, CUT.port(), UPSTREAM.port()));
    }

    @AfterAll
    static void stopUpstream() throws Exception {
        UPSTREAM.close();
        CUT.close();
    }

    @Test
    void proxiesGetAndPost() throws Exception {
        HttpResponse<String> get = send(HttpRequest.newBuilder(uri("catalog/7")).GET());
        HttpResponse<String> post = send(HttpRequest.newBuilder(uri("orders-api"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"order\":7}")));

        assertThat(get.statusCode()).as("GET %s", get.uri()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("GET /catalog/7 ");
        assertThat(get.headers().firstValue("Via")).hasValueSatisfying(via -> assertThat(via).contains(NAME));
        assertThat(post.statusCode()).as("POST %s", post.uri()).isEqualTo(200);
        assertThat(post.body()).isEqualTo("POST /orders-api {\"order\":7}");
    }

    @Test
    void answersARefusedUpstreamForEveryMethodInEveryFormat() throws Exception {
        FailureAnswers.assertGatewayPagesForEveryMethodAndFormat(uri("down/x"), NAME);
    }

    @Test
    void theStartupLineAndEachFailureReachTheContainersLog() throws Exception {
        LogFile log = InContainer.log();
        assertThat(log.await(0, line -> line.contains("Gateway " + NAME + " serving 4 route(s)"), InContainer.LOG_WAIT))
                .as("the start-up line").isNotNull();
        int mark = log.mark();

        HttpResponse<String> failed = send(HttpRequest.newBuilder(uri("down/x"))
                .header("Accept", "application/problem+json").PUT(HttpRequest.BodyPublishers.ofString("{}")));

        Matcher incident = Pattern.compile("\"incident\":\"(\\w+)\"").matcher(failed.body());
        assertThat(incident.find()).as(failed.body()).isTrue();
        String logged = InContainer.awaitLogged(log, mark, "incident=" + incident.group(1));
        assertThat(logged).contains("WARNING", " type=connection_refused status=502 ", " method=PUT ",
                " route=/down/ ");
    }

    @Test
    void anUpstreamBodyCutBeforeAnyOfItReachedTheClientGetsTheClassifiedAnswer() throws Exception {
        // Half of a 1000-byte body, then the upstream closes: what was buffered never reached the client, and the
        // page replaces it on a stream already in non-blocking mode, in each container.
        HttpResponse<String> cut = send(HttpRequest.newBuilder(uri("cut/report"))
                .header("Accept", "application/problem+json"));

        assertThat(cut.statusCode()).isEqualTo(502);
        assertThat(cut.headers().firstValue("Proxy-Status")).hasValueSatisfying(status -> assertThat(status)
                .startsWith(NAME + "; error=http_response_incomplete"));
        assertThat(cut.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("application/problem+json"));
        assertThat(cut.body()).contains("\"http_response_incomplete\"").doesNotContain("ttttt");
    }

    @Test
    void aRoutesOwnTemplateReplacesTheBuiltInPage() throws Exception {
        HttpResponse<String> page = send(HttpRequest.newBuilder(uri("orders/7")).header("Accept", "text/html"));
        HttpResponse<String> text = send(HttpRequest.newBuilder(uri("orders/7")).header("Accept", "text/plain"));
        HttpResponse<String> other = send(HttpRequest.newBuilder(uri("down/7")).header("Accept", "text/html"));

        assertThat(page.statusCode()).isEqualTo(502);
        assertThat(page.headers().firstValue("Proxy-Status")).contains(NAME + "; error=connection_refused");
        assertThat(page.body()).startsWith("<!DOCTYPE html><title>Orders are resting</title>")
                .containsPattern("incident [0-9A-Z]{12}");
        assertThat(text.body()).as("no text template: the built-in text page").startsWith("502 ");
        assertThat(other.body()).as("another route keeps the built-in page").doesNotContain("Orders are resting");
    }

    @Test
    void theAdminEndpointsAnswerUnderTheWarsOwnPathWithTheTokenRule() throws Exception {
        HttpResponse<String> ready = send(HttpRequest.newBuilder(uri("__gatewise/readyz")));
        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(uri("__gatewise/admin/upstreams")));
        HttpResponse<String> upstreams = send(HttpRequest.newBuilder(uri("__gatewise/admin/upstreams"))
                .header("Authorization", "Bearer " + TOKEN));

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).isEmpty();
        assertThat(upstreams.statusCode()).isEqualTo(200);
        assertThat(upstreams.body()).contains("\"route\":\"/down/\"", "\"state\":\"healthy\"");
    }

    private static SocketUpstream cutUpstream() {
        try {
            return SocketUpstream.start(Faults.truncatedBody(1000));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private URI uri(String path) {
        return InContainer.resolve(base, CONTEXT, path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Path ordersPages() {
        Path folder = InContainer.folder("orders-pages");
        try {
            Files.writeString(folder.resolve("connection_refused.html"),
                    "<!DOCTYPE html><title>Orders are resting</title><p>incident {{incident}}</p>\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return folder;
    }

    private static Containers.Running echoUpstream() {
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(Echo.class, "/*");
        try {
            return Containers.jetty(context);
        } catch (Exception e) {
            throw new IllegalStateException("the test's upstream did not start", e);
        }
    }

    /** The upstream: answers with the method, the path and the body it got. */
    public static final class Echo extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            response.setContentType("text/plain;charset=utf-8");
            response.getWriter().print(request.getMethod() + " " + request.getRequestURI() + " " + body);
        }
    }
}
