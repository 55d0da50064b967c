package io.gatewise.demo;

import io.gatewise.config.AdminConfig;
import io.gatewise.config.CertificateConfig;
import io.gatewise.config.ErrorPagesConfig;
import io.gatewise.config.GatewayConfig;
import io.gatewise.config.LimitsConfig;
import io.gatewise.config.ListenerTlsConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.ServerConfig;
import io.gatewise.config.TimeoutsConfig;
import io.gatewise.config.UpstreamProtocol;
import io.gatewise.config.WebSocketConfig;
import io.gatewise.faults.BlackholeUpstream;
import io.gatewise.faults.ClosedPort;
import io.gatewise.faults.Faults;
import io.gatewise.faults.SocketUpstream;
import io.gatewise.server.GatewayServer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the gateway on loopback in front of a healthy echo service and upstreams that fail on
 * purpose, and prints what to try.
 *
 * <p>Every upstream binds to 127.0.0.1 on a free port; only the gateway's ports are chosen: its
 * cleartext port (HTTP/1.1 and h2c) and its HTTPS port (h2 or HTTP/1.1 by ALPN), which serves a
 * self-signed certificate for {@code localhost} made at start ({@link DemoCertificate}).
 */
public final class Demo implements AutoCloseable {
    /** Short timeouts, so the slow demos answer in seconds. */
    private static final TimeoutsConfig SHORT = TimeoutsConfig.builder().resolve(Duration.ofSeconds(2))
            .connect(Duration.ofSeconds(2)).response(Duration.ofSeconds(10)).idle(Duration.ofSeconds(10)).build();
    private static final TimeoutsConfig SHORT_RESPONSE = TimeoutsConfig.builder().connect(Duration.ofSeconds(2))
            .response(Duration.ofSeconds(3)).idle(Duration.ofSeconds(30)).build();
    private static final TimeoutsConfig SHORT_IDLE = TimeoutsConfig.builder().connect(Duration.ofSeconds(2))
            .response(Duration.ofSeconds(30)).idle(Duration.ofSeconds(2)).build();

    /** A gRPC service whose upstream is down. */
    static final String GRPC_DOWN = "/demo.Orders/";

    /** The demo's operator token: send it to see the operator view of the error pages. */
    public static final String OPERATOR_TOKEN = "demo-operator-token";
    /** The demo's admin token, for its admin listener on a free loopback port. */
    public static final String ADMIN_TOKEN = "demo-admin-token-0123";

    private final List<AutoCloseable> upstreams = new ArrayList<>();
    private final List<Example> examples = new ArrayList<>();
    private final GatewayServer gateway;
    private DemoCertificate certificate;

    /** One route of the demo and what it shows. */
    public record Example(String path, String shows) {
    }

    private Demo(int port, int tlsPort) throws Exception {
        try {
            this.certificate = DemoCertificate.generate();
            GatewayConfig.Builder config = GatewayConfig.builder()
                    .errorPages(ErrorPagesConfig.builder()
                            .operator(new ErrorPagesConfig.Operator().token(OPERATOR_TOKEN))
                            .contact("This is the Gatewise demo: every failure here is staged on purpose.").build())
                    .gateway(ServerConfig.builder().name("gatewise-demo").host("127.0.0.1").port(port)
                            .tls(ListenerTlsConfig.builder().port(tlsPort).certificate(CertificateConfig.builder()
                                    .certificate(certificate.certificate().toString())
                                    .privateKey(certificate.privateKey().toString()).build()).build())
                            .prohibitedAddresses(List.of(DemoResolver.PROHIBITED_ADDRESS + "/32")).build())
                    .admin(AdminConfig.builder().host("127.0.0.1").port(0).token(ADMIN_TOKEN).build());
            String echo = keep(EchoUpstream.start()).url();
            route(config, "/echo/", echo, TimeoutsConfig.defaults(), "a healthy upstream: 200, echoes your request");
            route(config, RouteConfig.builder().path(GrpcEchoServlet.SERVICE).protocol(UpstreamProtocol.H2).upstream(echo)
                    .build(), "gRPC over h2c both ways: SimpleService/UnaryRpc echoes, grpc-status 0 in the trailers");
            route(config, RouteConfig.builder().path("/live/").upstream(echo).websocket(WebSocketConfig.defaults())
                    .build(), "WebSocket, open in a browser: echoes, the upstream's close 4000, 1014 and the incident on a drop");
            route(config, RouteConfig.builder().path(GRPC_DOWN).protocol(UpstreamProtocol.H2)
                    .upstream("http://127.0.0.1:" + ClosedPort.find()).timeouts(SHORT).build(),
                    "a gRPC service that is down: HTTP 200, grpc-status 14 UNAVAILABLE, Proxy-Status connection_refused");
            route(config, RouteConfig.builder().path("/pool/").stripPrefix(true)
                    .upstream("http://127.0.0.1:" + ClosedPort.find()).upstream(echo).timeouts(SHORT).build(),
                    "one of two upstreams is down: 200 from the other, the dead one retried around, then ejected");
            route(config, RouteConfig.builder().path("/maintenance/").stripPrefix(true).upstream(echo)
                    .maintenance(true).build(),
                    "a route in maintenance: 503 destination_unavailable, Retry-After, the maintenance page");
            route(config, "/fail/refused/", "http://127.0.0.1:" + ClosedPort.find(), SHORT,
                    "nothing listens on the upstream port: 502 connection_refused");
            BlackholeUpstream blackhole = keep(BlackholeUpstream.start());
            route(config, "/fail/firewall/", blackhole.url(), SHORT,
                    "SYNs go unanswered, as behind a dropping firewall: 504 connection_timeout after 2s");
            route(config, "/fail/dns/", "http://" + DemoResolver.MISSING + ":80", SHORT,
                    "the upstream's name does not exist: 502 dns_error, rcode NXDOMAIN");
            route(config, "/fail/dns-slow/", "http://" + DemoResolver.SLOW + ":80", SHORT,
                    "the resolver never answers: 504 dns_timeout after 2s");
            route(config, "/fail/prohibited/", "http://" + DemoResolver.PROHIBITED + ":80", SHORT,
                    "the name resolves into a prohibited range: 502 destination_ip_prohibited");
            fault(config, "/fail/closed/", Faults.closeWithoutResponse(),
                    "the upstream closes the connection without a byte: 502 connection_terminated");
            fault(config, "/fail/reset/", Faults.resetAfterRequest(),
                    "the upstream resets the connection: 502 connection_terminated");
            fault(config, "/fail/garbage/", Faults.garbage(),
                    "the upstream answers with something that is not HTTP: 502 http_protocol_error");
            fault(config, "/fail/huge-headers/", Faults.oversizedHeaders(2 * LimitsConfig.DEFAULT_MAX_RESPONSE_HEADER_SIZE),
                    "response headers over the 16KB limit: 502 http_response_header_section_size");
            fault(config, "/fail/slow/", Faults.noResponse(), SHORT_RESPONSE,
                    "the upstream never answers: 504 http_response_timeout after 3s");
            fault(config, "/fail/stalled-body/", Faults.stalledBody(100_000), SHORT_IDLE,
                    "the body stalls halfway: connection aborted after 2s, logged as connection_read_timeout");
            fault(config, "/fail/truncated/", Faults.truncatedBody(100_000),
                    "the body stops short of its length: connection aborted, logged as http_response_incomplete");
            fault(config, "/fail/upstream-500/", Faults.status(500, "The upstream failed on its own.\n"),
                    "the upstream answers 500 itself: passed through, Proxy-Status received-status=500");
            fault(config, "/fail/upstream-503/", Faults.status(503, "The upstream is overloaded.\n"),
                    "the upstream answers 503 itself: passed through, Proxy-Status received-status=503");
            gateway = GatewayServer.builder(config.build()).resolver(new DemoResolver()).stopAtShutdown(true)
                    .build();
            gateway.start();
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /**
     * Starts the demo.
     *
     * @param port the gateway's cleartext port on 127.0.0.1; 0 picks a free one
     * @param tlsPort its HTTPS port on 127.0.0.1; 0 picks a free one
     * @return the running demo
     * @throws Exception if a port cannot be bound
     */
    public static Demo start(int port, int tlsPort) throws Exception {
        return new Demo(port, tlsPort);
    }

    /** @return the HTTPS listener's certificate and key files */
    public DemoCertificate certificate() {
        return certificate;
    }

    /** @return the gateway */
    public GatewayServer gateway() {
        return gateway;
    }

    /** @return the routes to try, in order */
    public List<Example> examples() {
        return List.copyOf(examples);
    }

    /**
     * Prints the URLs to try.
     *
     * @param out where to print
     */
    public void printWelcome(PrintStream out) {
        String base = "http://127.0.0.1:" + gateway.port();
        out.println();
        out.println("Gatewise demo: a gateway on " + base + " in front of upstreams on loopback.");
        out.println("Try these; curl -i shows the status and the Proxy-Status header that says why:");
        out.println();
        for (Example example : examples) {
            out.printf("  %-42s %s%n", base + example.path(), example.shows());
        }
        out.println();
        out.println("Open them in a browser for the error page (English or Chinese, after your browser's language),");
        out.println("add -H 'Accept: application/json' for problem+json, and see the operator view with:");
        out.println("  curl -H '" + ErrorPagesConfig.TOKEN_HEADER + ": " + OPERATOR_TOKEN + "' " + base + "/fail/refused/");
        out.println();
        out.println("HTTPS on port " + gateway.tlsPort().orElseThrow() + " (h2 or HTTP/1.1 by ALPN), with a certificate for"
                + " localhost made for this run, and HTTP/2 without TLS (h2c):");
        out.println("  curl --cacert " + certificate.certificate() + " https://localhost:" + gateway.tlsPort().orElseThrow()
                + "/echo/hello");
        out.println("  curl --http2-prior-knowledge " + base + "/echo/hello");
        out.println();
        out.println("gRPC through the gateway: any gRPC client, or curl with a framed message (curl hides the trailers;"
                + " nghttp -v shows grpc-status 0 in them):");
        out.println("  printf '\\0\\0\\0\\0\\4\\n\\2hi' | curl -s --http2-prior-knowledge -H 'content-type: application/grpc'"
                + " -H 'te: trailers' --data-binary @- -D - -o /dev/null " + base + GrpcEchoServlet.SERVICE + "UnaryRpc");
        out.println("  curl -s --http2-prior-knowledge -H 'content-type: application/grpc' -d '' -D - " + base + GRPC_DOWN
                + "Get");
        String admin = "http://127.0.0.1:" + gateway.adminPort().orElseThrow();
        out.println();
        out.println("The admin listener: probes, metrics, each upstream's state and why, the status page:");
        out.println("  curl -H 'Authorization: Bearer " + ADMIN_TOKEN + "' " + admin + "/admin/upstreams");
        out.println("  curl -H 'Authorization: Bearer " + ADMIN_TOKEN + "' " + admin + "/metrics");
        out.println("  " + admin + "/admin/status in a browser: any user name, the password " + ADMIN_TOKEN);
        out.println();
        out.println("Press Ctrl+C to stop.");
    }

    private void route(GatewayConfig.Builder config, String path, String url, TimeoutsConfig timeouts, String shows) {
        route(config, RouteConfig.builder().path(path).stripPrefix(true).upstream(url).timeouts(timeouts).build(),
                shows);
    }

    private void route(GatewayConfig.Builder config, RouteConfig route, String shows) {
        config.route(route);
        examples.add(new Example(route.path(), shows));
    }

    private void fault(GatewayConfig.Builder config, String path, SocketUpstream.Behavior behavior, String shows)
            throws Exception {
        fault(config, path, behavior, SHORT, shows);
    }

    private void fault(GatewayConfig.Builder config, String path, SocketUpstream.Behavior behavior, TimeoutsConfig timeouts,
            String shows) throws Exception {
        route(config, path, keep(SocketUpstream.start(behavior)).url(), timeouts, shows);
    }

    private <T extends AutoCloseable> T keep(T upstream) {
        upstreams.add(upstream);
        return upstream;
    }

    @Override
    public void close() throws Exception {
        if (gateway != null) {
            gateway.stop();
        }
        for (AutoCloseable upstream : upstreams) {
            upstream.close();
        }
    }
}
