package io.gatewise.proxy;

import static io.gatewise.testing.FailureAssertions.assertAnswered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatewise.client.DnsCache;
import io.gatewise.config.DnsCacheConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.ServerConfig;
import io.gatewise.config.TimeoutsConfig;
import io.gatewise.failure.DnsLookupException;
import io.gatewise.failure.FailureCause;
import io.gatewise.failure.Phase;
import io.gatewise.failure.ProxyErrorType;
import io.gatewise.failure.UpstreamFailure;
import io.gatewise.faults.Faults;
import io.gatewise.faults.SocketUpstream;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.RunningGateway;
import io.gatewise.testing.TestClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The DNS faults of TAXONOMY.md, staged through an injected resolver (no test here asks the
 * machine's resolver anything): a name that does not resolve, a resolver that never answers, a
 * name that resolves only into a prohibited range, and hostile resolver text that must not break
 * out of {@code Proxy-Status}.
 */
class DnsFaultsTest {
    private static final int NAMED_PORT = 8080;

    @RegisterExtension
    // These tests read the whole RFC 9209 member: next-hop and every parameter, what proxyStatus: full shows.
    // The visitor view is InformationExposureTest's.
    final GatewayExtension gateways = new GatewayExtension()
            .settings(settings -> settings.proxyStatus(ServerConfig.ProxyStatusView.FULL));

    private static RouteConfig.Builder route(String url) {
        return RouteConfig.builder().path("/api/").upstream(url);
    }

    private static TimeoutsConfig resolveTimeout(Duration resolve) {
        return TimeoutsConfig.builder().resolve(resolve).build();
    }

    private static InetAddress loopback(int last) throws UnknownHostException {
        // From the bytes: no lookup, not even of a literal.
        return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    }

    /** A resolver that records each lookup ({@code host:port}) and answers it as scripted. */
    private static final class ScriptedResolver implements SocketAddressResolver {
        private final List<String> asked = new CopyOnWriteArrayList<>();
        private final Answer answer;

        private ScriptedResolver(Answer answer) {
            this.answer = answer;
        }

        static ScriptedResolver failingWith(Throwable failure) {
            return new ScriptedResolver((host, port, promise) -> promise.failed(failure));
        }

        static ScriptedResolver neverAnswering() {
            return new ScriptedResolver((host, port, promise) -> {
            });
        }

        static ScriptedResolver mapping(String name, InetAddress address) {
            return new ScriptedResolver(mappingAnswer(name, address));
        }

        static Answer mappingAnswer(String name, InetAddress address) {
            return (host, port, promise) -> {
                if (name.equals(host)) {
                    promise.succeeded(List.of(new InetSocketAddress(address, port)));
                } else {
                    promise.failed(DnsLookupException.failed(host, "NXDOMAIN"));
                }
            };
        }

        /** @return a resolver whose answer the test changes as it goes */
        static ScriptedResolver answering(AtomicReference<Answer> current) {
            return new ScriptedResolver((host, port, promise) -> current.get().answer(host, port, promise));
        }

        @Override
        public void resolve(String host, int port, Map<String, Object> context,
                Promise<List<InetSocketAddress>> promise) {
            asked.add(host + ":" + port);
            answer.answer(host, port, promise);
        }

        List<String> asked() {
            return List.copyOf(asked);
        }

        /** How one lookup is answered. */
        @FunctionalInterface
        interface Answer {
            void answer(String host, int port, Promise<List<InetSocketAddress>> promise);
        }
    }

    @Test
    void nameThatDoesNotResolveIsDnsError502WithTheRcode() throws Exception {
        ScriptedResolver resolver = ScriptedResolver.failingWith(DnsLookupException.failed("missing.test", "NXDOMAIN"));
        RunningGateway gateway = gateways.builder().resolver(resolver)
                .route(route("http://missing.test:" + NAMED_PORT).build()).start();
        ContentResponse response = gateway.get("/api/users");

        UpstreamFailure failure = assertAnswered(gateway, response, ProxyErrorType.DNS_ERROR, 502, FailureCause.DNS,
                Phase.RESOLVE, "missing.test:" + NAMED_PORT);
        assertThat(RunningGateway.lastProxyStatusMember(response).parameters()).containsEntry("rcode", "NXDOMAIN");
        assertThat(failure.parameters()).containsEntry("rcode", "NXDOMAIN");
        assertThat(failure.upstreamMayHaveSeenRequest()).isFalse();
        assertThat(resolver.asked()).as("the name went to the injected resolver")
                .containsExactly("missing.test:" + NAMED_PORT);
    }

    @Test
    void plainUnknownHostFromTheResolverIsDnsError502WithoutRcode() throws Exception {
        ScriptedResolver resolver = ScriptedResolver.failingWith(new UnknownHostException("missing.test"));
        RunningGateway gateway = gateways.builder().resolver(resolver)
                .route(route("http://missing.test:" + NAMED_PORT).build()).start();
        ContentResponse response = gateway.get("/api/users");

        UpstreamFailure failure = assertAnswered(gateway, response, ProxyErrorType.DNS_ERROR, 502, FailureCause.DNS,
                Phase.RESOLVE, "missing.test:" + NAMED_PORT);
        assertThat(RunningGateway.lastProxyStatusMember(response).parameters()).doesNotContainKey("rcode");
        assertThat(failure.parameters()).doesNotContainKey("rcode");
        assertThat(resolver.asked()).containsExactly("missing.test:" + NAMED_PORT);
    }

    @Test
    void resolverSlowerThanTheResolveTimeoutIsDnsTimeout504() throws Exception {
        ScriptedResolver resolver = ScriptedResolver.neverAnswering();
        RunningGateway gateway = gateways.builder().resolver(resolver)
                .route(route("http://slow.test:" + NAMED_PORT).timeouts(resolveTimeout(Duration.ofMillis(500)))
                        .build())
                .start();
        long start = System.nanoTime();
        ContentResponse response = gateway.get("/api/users");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        UpstreamFailure failure = assertAnswered(gateway, response, ProxyErrorType.DNS_TIMEOUT, 504,
                FailureCause.DNS, Phase.RESOLVE, "slow.test:" + NAMED_PORT);
        assertThat(failure.parameters()).doesNotContainKey("rcode");
        assertThat(took).as("the route's resolve timeout, not the 5s default, ended the wait")
                .isGreaterThanOrEqualTo(Duration.ofMillis(450))
                .isLessThan(TimeoutsConfig.DEFAULT_RESOLVE);
        assertThat(resolver.asked()).containsExactly("slow.test:" + NAMED_PORT);
    }

    @Test
    void nameResolvingOnlyIntoAProhibitedRangeIsDestinationIpProhibited502AndNeverConnected() throws Exception {
        // The would-be upstream: a real listener on 127.0.0.2 (Linux routes all of 127/8 to lo).
        try (ServerSocket wouldBeUpstream = new ServerSocket(0, 50, loopback(2))) {
            int port = wouldBeUpstream.getLocalPort();
            ScriptedResolver resolver = ScriptedResolver.mapping("blocked.test", loopback(2));
            RunningGateway gateway = gateways.builder().resolver(resolver)
                    .settings(settings -> settings.prohibitedAddresses(List.of("127.0.0.2/32")))
                    // A short response timeout: were the address not refused, the silent listener
                    // would show as a quick http_response_timeout rather than a hung test.
                    .route(route("http://blocked.test:" + port)
                            .timeouts(TimeoutsConfig.builder().response(Duration.ofSeconds(2)).build()).build())
                    .start();
            ContentResponse response = gateway.get("/api/users");

            UpstreamFailure failure = assertAnswered(gateway, response, ProxyErrorType.DESTINATION_IP_PROHIBITED,
                    502, FailureCause.FIREWALL, Phase.RESOLVE, "blocked.test:" + port);
            assertThat(failure.upstreamMayHaveSeenRequest()).isFalse();
            assertThat(resolver.asked()).containsExactly("blocked.test:" + port);
            // Had the gateway connected, the connection would already wait in the accept queue.
            wouldBeUpstream.setSoTimeout(300);
            assertThatThrownBy(wouldBeUpstream::accept).as("no connection reached the prohibited address")
                    .isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void nameResolvedByTheInjectedResolverReachesAHealthyUpstream() throws Exception {
        SocketUpstream upstream = gateways.socketUpstream(Faults.status(200, "hello"));
        ScriptedResolver resolver = ScriptedResolver.mapping("api.test", loopback(1));
        RunningGateway gateway = gateways.builder().resolver(resolver)
                .route(route("http://api.test:" + upstream.port()).build()).start();
        ContentResponse response = gateway.get("/api/users");

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).isEqualTo("hello");
        assertThat(response.getHeaders().get("Proxy-Status")).isNull();
        assertThat(resolver.asked()).containsExactly("api.test:" + upstream.port());
        assertThat(upstream.requestHeads()).singleElement().asString()
                .startsWith("GET /api/users HTTP/1.1\r\n");
        assertThat(gateway.pendingEvents()).isEmpty();
    }

    @Test
    void hostileRcodeIsEscapedAndCannotInjectHeaders() throws Exception {
        String hostile = "NX\"DO\\MAIN\r\nX-Injected: yes\u00e9";
        ScriptedResolver resolver = ScriptedResolver.failingWith(DnsLookupException.failed("evil.test", hostile));
        RunningGateway gateway = gateways.builder().resolver(resolver)
                .route(route("http://evil.test:" + NAMED_PORT).build()).start();
        ContentResponse response = gateway.get("/api/users");

        String raw = response.getHeaders().get("Proxy-Status");
        assertThat(raw).isNotNull().doesNotContain("\r").doesNotContain("\n").doesNotContain("\u00e9");
        assertThat(response.getHeaders().contains("X-Injected")).as("no injected header").isFalse();
        assertAnswered(gateway, response, ProxyErrorType.DNS_ERROR, 502, FailureCause.DNS, Phase.RESOLVE,
                "evil.test:" + NAMED_PORT);
        assertThat(RunningGateway.lastProxyStatusMember(response).parameters())
                .as("the structured field parses, quotes and backslashes survive, the rest is replaced")
                .containsEntry("rcode", "NX\"DO\\MAIN??X-Injected: yes?");
    }

    /**
     * The upstream answers with {@code Connection: close}, so every request opens a connection and
     * asks for the name: what the resolver sees is what the cache let through.
     */
    @Test
    void answerIsKeptForItsTtlThenLookedUpAgain() throws Exception {
        TestClock clock = new TestClock();
        SocketUpstream upstream = gateways.socketUpstream(Faults.status(200, "hello"));
        ScriptedResolver resolver = ScriptedResolver.mapping("api.test", loopback(1));
        RunningGateway gateway = gateways.builder().resolver(resolver).clock(clock)
                .settings(s -> s.dnsCache(DnsCacheConfig.builder().ttl(Duration.ofSeconds(30)).build()))
                .route(route("http://api.test:" + upstream.port()).build()).start();
        for (int i = 0; i < 3; i++) {
            assertThat(gateway.get("/api/users").getStatus()).isEqualTo(200);
        }
        assertThat(upstream.requestHeads()).as("three connections").hasSize(3);
        assertThat(resolver.asked()).as("one lookup").hasSize(1);

        clock.advance(Duration.ofSeconds(31));
        assertThat(gateway.get("/api/users").getStatus()).isEqualTo(200);
        assertThat(resolver.asked()).as("looked up again after the ttl").hasSize(2);

        DnsCache cache = gateway.server().gateway().dnsCache();
        assertThat(cache.cachedNames()).containsExactly("api.test:" + upstream.port());
        assertThat(cache.flush("API.test")).isTrue();
        assertThat(gateway.get("/api/users").getStatus()).isEqualTo(200);
        assertThat(resolver.asked()).as("looked up again after flushing the name").hasSize(3);

        cache.flush();
        assertThat(cache.cachedNames()).isEmpty();
        assertThat(gateway.get("/api/users").getStatus()).isEqualTo(200);
        assertThat(resolver.asked()).as("looked up again after flushing everything").hasSize(4);
    }

    @Test
    void failedLookupUsesTheLastGoodAnswerForABoundedTimeAndCountsIt() throws Exception {
        TestClock clock = new TestClock();
        AtomicReference<ScriptedResolver.Answer> answer = new AtomicReference<>(
                ScriptedResolver.mappingAnswer("api.test", loopback(1)));
        SocketUpstream upstream = gateways.socketUpstream(Faults.status(200, "hello"));
        ScriptedResolver resolver = ScriptedResolver.answering(answer);
        RunningGateway gateway = gateways.builder().resolver(resolver).clock(clock)
                .settings(s -> s.dnsCache(DnsCacheConfig.builder().ttl(Duration.ofSeconds(30))
                        .keepStale(Duration.ofMinutes(5)).build()))
                .route(route("http://api.test:" + upstream.port()).build()).start();
        assertThat(gateway.get("/api/users").getStatus()).isEqualTo(200);
        answer.set((host, port, promise) -> promise.failed(DnsLookupException.failed(host, "SERVFAIL")));
        DnsCache cache = gateway.server().gateway().dnsCache();

        clock.advance(Duration.ofMinutes(2));
        ContentResponse stale = gateway.get("/api/users");
        assertThat(stale.getStatus()).as("the resolver fails, the old address still works").isEqualTo(200);
        assertThat(stale.getContentAsString()).isEqualTo("hello");
        assertThat(cache.staleAnswers()).isEqualTo(1);
        assertThat(gateway.pendingEvents()).isEmpty();

        clock.advance(Duration.ofMinutes(4));
        ContentResponse expired = gateway.get("/api/users");
        UpstreamFailure failure = assertAnswered(gateway, expired, ProxyErrorType.DNS_ERROR, 502,
                FailureCause.DNS, Phase.RESOLVE, "api.test:" + upstream.port());
        assertThat(failure.parameters()).containsEntry("rcode", "SERVFAIL");
        assertThat(cache.staleAnswers()).as("past ttl + keepStale the old answer is gone").isEqualTo(1);
        assertThat(upstream.requestHeads()).hasSize(2);
    }

    @Test
    void nameTheResolverSaysIsGoneIsForgottenAtOnce() throws Exception {
        TestClock clock = new TestClock();
        AtomicReference<ScriptedResolver.Answer> answer = new AtomicReference<>(
                ScriptedResolver.mappingAnswer("api.test", loopback(1)));
        SocketUpstream upstream = gateways.socketUpstream(Faults.status(200, "hello"));
        RunningGateway gateway = gateways.builder().resolver(ScriptedResolver.answering(answer))
                .clock(clock).route(route("http://api.test:" + upstream.port()).build()).start();
        assertThat(gateway.get("/api/users").getStatus()).isEqualTo(200);
        answer.set((host, port, promise) -> promise.failed(DnsLookupException.failed(host, "NXDOMAIN")));

        clock.advance(Duration.ofSeconds(31));
        assertAnswered(gateway, gateway.get("/api/users"), ProxyErrorType.DNS_ERROR, 502, FailureCause.DNS,
                Phase.RESOLVE, "api.test:" + upstream.port());

        answer.set((host, port, promise) -> promise.failed(DnsLookupException.failed(host, "SERVFAIL")));
        DnsCache cache = gateway.server().gateway().dnsCache();
        assertThat(cache.cachedNames()).isEmpty();
        assertAnswered(gateway, gateway.get("/api/users"), ProxyErrorType.DNS_ERROR, 502, FailureCause.DNS,
                Phase.RESOLVE, "api.test:" + upstream.port());
        assertThat(cache.staleAnswers()).as("nothing old left to stand in").isZero();
        assertThat(upstream.requestHeads()).hasSize(1);
    }
}
