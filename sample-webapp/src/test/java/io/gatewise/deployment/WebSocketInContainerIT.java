package io.gatewise.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * WebSocket through the built WAR in the real container distribution the build runs this in
 * (Jetty 12.1 with its {@code ee10-websocket-jakarta} module, Tomcat 10.1): the container's own
 * Jakarta WebSocket upgrades the client once the upstream has accepted. Messages echo both ways,
 * custom close codes pass each way, an upstream lost mid-session closes the client with
 * {@code 1014} and the incident, a message over the route's limit closes both sides with
 * {@code 1009}, and failures before the upgrade are the gateway's usual answers. The upstream and
 * the client are Jetty's own WebSocket endpoints, on 127.0.0.1.
 */
@ExtendWith(ArquillianExtension.class)
class WebSocketInContainerIT {
    private static final String NAME = "ws-it";
    private static final String CONTEXT = "ws";
    /** How long a test waits for what it expects: seconds of margin on a loaded machine. */
    private static final long WAIT_SECONDS = WebSocketMessages.WAIT_SECONDS;
    private static final WebSocketEchoUpstream UPSTREAM = WebSocketEchoUpstream.start();
    private static final int REFUSING = InContainer.refusingPort();

    @ArquillianResource
    private URL base;

    private final WebSocketClient client = new WebSocketClient();
    private final HttpClient http = new HttpClient();

    @Deployment(testable = false)
    static WebArchive gateway() {
        return InContainer.gatewayWar(CONTEXT, """
                gateway: { name: %s }
                routes:
                  - path: /down/
                    upstreams: [ { url: 'http://127.0.0.1:%d' } ]
                  - path: /small/
                    upstreams: [ { url: 'http://127.0.0.1:%d' } ]
                    websocket: { maxMessageSize: 1KB }
                  - path: /
                    upstreams: [ { url: 'http://127.0.0.1:%d' } ]
                """.formatted(NAME, REFUSING, UPSTREAM.port(), UPSTREAM.port()));
    }

    @BeforeEach
    void startClients() throws Exception {
        client.start();
        http.start();
    }

    @AfterEach
    void stopClients() throws Exception {
        client.stop();
        http.stop();
    }

    @AfterAll
    static void stopUpstream() throws Exception {
        UPSTREAM.close();
    }

    @Test
    void textAndBinaryMessagesEchoThroughTheWar() throws Exception {
        WebSocketMessages recorder = new WebSocketMessages();
        Session session = connect("live/echo", recorder);
        // Over Tomcat's 8 KB message buffer: the client's leg takes messages in parts.
        byte[] binary = new byte[20_000];
        new Random(7).nextBytes(binary);

        session.sendText("hello from " + InContainer.name(), Callback.NOOP);
        assertThat(recorder.nextText()).isEqualTo("hello from " + InContainer.name());
        session.sendBinary(ByteBuffer.wrap(binary), Callback.NOOP);
        assertThat(recorder.nextBinary()).isEqualTo(binary);

        session.close(1000, "done", Callback.NOOP);
        assertThat(recorder.close()).isEqualTo("1000 done");
        assertThat(UPSTREAM.awaitClose("/live/echo")).isEqualTo("1000 done");
    }

    @Test
    void aCustomCloseCodeFromTheClientReachesTheUpstream() throws Exception {
        WebSocketMessages recorder = new WebSocketMessages();
        Session session = connect("live/client-closes", recorder);
        session.sendText("hi", Callback.NOOP);
        recorder.nextText();

        session.close(4401, "token expired", Callback.NOOP);

        assertThat(UPSTREAM.awaitClose("/live/client-closes")).isEqualTo("4401 token expired");
        assertThat(recorder.close()).isEqualTo("4401 token expired");
    }

    @Test
    void aCustomCloseCodeFromTheUpstreamReachesTheClient() throws Exception {
        WebSocketMessages recorder = new WebSocketMessages();
        Session session = connect("live/upstream-closes", recorder);

        session.sendText("cmd:close:4000:bye now", Callback.NOOP);

        assertThat(recorder.close()).isEqualTo("4000 bye now");
        assertThat(UPSTREAM.awaitClose("/live/upstream-closes")).isEqualTo("4000 bye now");
    }

    @Test
    void anUpstreamLostMidSessionClosesTheClientWith1014AndAnIncidentTheContainersLogHas() throws Exception {
        LogFile log = InContainer.log();
        int mark = log.mark();
        WebSocketMessages recorder = new WebSocketMessages();
        Session session = connect("live/reset", recorder);

        session.sendText("cmd:reset", Callback.NOOP);

        String close = recorder.close();
        Matcher incident = Pattern.compile("^1014 Bad Gateway: upstream connection lost; incident ([0-9A-Z]{12})$")
                .matcher(close);
        assertThat(incident.find()).as(close).isTrue();
        assertThat(InContainer.awaitLogged(log, mark, "incident=" + incident.group(1)))
                .contains("WARNING", " type=connection_terminated ", " status=101 ");
    }

    @Test
    void aMessageOverTheRoutesLimitClosesBothSidesWith1009() throws Exception {
        WebSocketMessages recorder = new WebSocketMessages();
        Session session = connect("small/limit", recorder);
        session.sendBinary(ByteBuffer.allocate(1000), Callback.NOOP);
        assertThat(recorder.nextBinary()).hasSize(1000);

        session.sendBinary(ByteBuffer.allocate(2000), Callback.NOOP);

        assertThat(recorder.close()).startsWith("1009 ");
        assertThat(UPSTREAM.awaitClose("/small/limit")).startsWith("1009 ");
    }

    @Test
    void aRefusedUpstreamIsAnswered502WithoutAnUpgrade() throws Exception {
        ContentResponse response = upgradeRequest("down/feed");

        assertThat(response.getStatus()).isEqualTo(502);
        assertThat(response.getHeaders().get("Proxy-Status")).isEqualTo(NAME + "; error=connection_refused");
        assertThat(response.getHeaders().get("Upgrade")).isNull();
        assertThat(client.connect(new WebSocketMessages(), ws("down/feed"))).failsWithin(WAIT_SECONDS, TimeUnit.SECONDS)
                .withThrowableThat().withMessageContaining("502");
    }

    @Test
    void theUpstreamsRefusalPassesThrough() throws Exception {
        ContentResponse response = upgradeRequest("live/refuse");

        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getContentAsString()).isEqualTo(WebSocketEchoUpstream.REFUSAL);
        assertThat(response.getHeaders().get("WWW-Authenticate")).isEqualTo("Bearer realm=\"live\"");
        assertThat(response.getHeaders().get("Proxy-Status")).startsWith(NAME + "; received-status=401");
        assertThat(response.getHeaders().get("Upgrade")).isNull();
    }

    private Session connect(String path, WebSocketMessages recorder) throws Exception {
        return client.connect(recorder, ws(path)).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** @return the answer to a WebSocket upgrade request, read as a plain HTTP response */
    private ContentResponse upgradeRequest(String path) throws Exception {
        return http.newRequest(InContainer.resolve(base, CONTEXT, path))
                .headers(headers -> headers.put("Upgrade", "websocket").put("Connection", "Upgrade")
                        .put("Sec-WebSocket-Version", "13").put("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="))
                .timeout(WAIT_SECONDS, TimeUnit.SECONDS).send();
    }

    private URI ws(String path) {
        return URI.create(InContainer.resolve(base, CONTEXT, path).toString().replaceFirst("^http", "ws"));
    }
}
