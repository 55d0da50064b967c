package io.gatewise.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.RetryConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.ServerConfig;
import io.gatewise.config.UpstreamConfig;
import io.gatewise.failure.Attempt;
import io.gatewise.failure.Phase;
import io.gatewise.failure.ProxyErrorType;
import io.gatewise.failure.UpstreamFailure;
import io.gatewise.faults.ClosedPort;
import io.gatewise.faults.Faults;
import io.gatewise.faults.SocketUpstream;
import io.gatewise.answer.FailureAttributes;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.JettyUpstream;
import io.gatewise.testing.NamedServlet;
import io.gatewise.testing.RunningGateway;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code retries.onStatuses}: an upstream's own error answer sends an idempotent request to
 * another upstream, and nothing of that answer reaches the client.
 */
class StatusRetriesTest {
    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private static RouteConfig route(List<String> urls, RetryConfig retries) {
        return RouteConfig.builder().path("/api/")
                .upstreams(urls.stream().map(url -> UpstreamConfig.builder().url(url).build()).toList())
                .retries(retries).build();
    }

    private static RetryConfig onStatuses(Integer... statuses) {
        return RetryConfig.builder().onStatuses(List.of(statuses)).build();
    }

    @Test
    void listedStatusSendsAnIdempotentRequestToAnotherUpstream() throws Exception {
        SocketUpstream busy = gateways.socketUpstream(Faults.status(503, "busy"));
        JettyUpstream alive = gateways.jettyUpstream(new NamedServlet("alive"));
        RunningGateway gateway = gateways.start(route(List.of(busy.url(), alive.url()), onStatuses(502, 503, 504)));
        // Round robin: one of the two requests meets the busy upstream first.
        for (int i = 0; i < 2; i++) {
            ContentResponse response = gateway.get("/api/report");
            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getContentAsString()).isEqualTo("alive");
            assertThat(response.getHeaders().get("Proxy-Status")).as("nothing of the 503 reached the client")
                    .isNull();
        }
        assertThat(busy.requestHeads()).hasSize(1);
        assertThat(gateway.pendingEvents()).isEmpty();
    }

    @Test
    void unlistedStatusesAndRequestsThatAreNotIdempotentGetTheUpstreamsAnswer() throws Exception {
        SocketUpstream busy = gateways.socketUpstream(Faults.status(503, "busy"));
        JettyUpstream alive = gateways.jettyUpstream(new NamedServlet("alive"));
        RunningGateway onlyBadGateway = gateways.start(route(List.of(busy.url(), alive.url()), onStatuses(502)));
        RunningGateway any = gateways.start(route(List.of(busy.url(), alive.url()), onStatuses(503)));
        assertThat(List.of(onlyBadGateway.get("/api/a").getStatus(), onlyBadGateway.get("/api/b").getStatus()))
                .containsExactlyInAnyOrder(200, 503);
        ContentResponse first = post(any);
        ContentResponse second = post(any);
        ContentResponse answered = first.getStatus() == 503 ? first : second;
        assertThat(List.of(first.getStatus(), second.getStatus())).containsExactlyInAnyOrder(200, 503);
        assertThat(answered.getContentAsString()).as("the upstream's own answer").isEqualTo("busy");
        assertThat(RunningGateway.lastProxyStatusMember(answered).parameters()).containsEntry("received-status",
                503L);
        assertThat(busy.requestHeads()).as("each request reached the busy upstream once at most").hasSize(2);
        assertThat(onlyBadGateway.pendingEvents()).isEmpty();
        assertThat(any.pendingEvents()).isEmpty();
    }

    private static ContentResponse post(RunningGateway gateway) throws Exception {
        return gateway.request("/api/orders")
                .method(HttpMethod.POST).body(new StringRequestContent("application/json", "{\"qty\":1}")).send();
    }

    @Test
    void whenEveryUpstreamAnswersWithAListedStatusTheLastAnswerPassesThrough() throws Exception {
        SocketUpstream a = gateways.socketUpstream(Faults.status(503, "a"));
        SocketUpstream b = gateways.socketUpstream(Faults.status(503, "b"));
        SocketUpstream c = gateways.socketUpstream(Faults.status(503, "c"));
        // proxyStatus: full, to read the next hop in Proxy-Status.
        RunningGateway gateway = gateways.builder().route(route(List.of(a.url(), b.url(), c.url()), onStatuses(503)))
                .settings(settings -> settings.proxyStatus(ServerConfig.ProxyStatusView.FULL)).start();
        ContentResponse response = gateway.get("/api/report");

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getContentAsString()).isIn("a", "b", "c");
        assertThat(RunningGateway.lastProxyStatusMember(response).parameters())
                .containsEntry("received-status", 503L);
        Map<String, String> bodies = Map.of(a.url().substring(7), "a", b.url().substring(7), "b",
                c.url().substring(7), "c");
        assertThat(response.getContentAsString()).as("the answer of the upstream Proxy-Status names")
                .isEqualTo(bodies.get(RunningGateway.lastProxyStatusMember(response).parameters().get("next-hop")));
        assertThat(a.requestHeads().size() + b.requestHeads().size() + c.requestHeads().size())
                .as("three attempts, one per upstream").isEqualTo(3);
        assertThat(gateway.pendingEvents()).as("an upstream's own answer is not the gateway's failure").isEmpty();
    }

    @Test
    void aStatusRetryThatEndsInAFailureListsTheAnswerAmongTheAttempts() throws Exception {
        int dead = ClosedPort.find();
        SocketUpstream busy = gateways.socketUpstream(Faults.status(503, "busy"));
        RunningGateway gateway = gateways.start(route(List.of(busy.url(), "http://127.0.0.1:" + dead),
                onStatuses(503)));
        ContentResponse first = gateway.get("/api/report");
        ContentResponse second = gateway.get("/api/report");

        // One request met the busy upstream first, then the dead one: the gateway's failure.
        // The other met the dead one first, then got the busy one's answer.
        ContentResponse failed = first.getStatus() == 502 ? first : second;
        assertThat(List.of(first.getStatus(), second.getStatus())).containsExactlyInAnyOrder(502, 503);
        UpstreamFailure failure = gateway.onlyEvent().failure();
        assertThat(failure.attempts()).extracting(Attempt::upstream, Attempt::type, Attempt::receivedStatus)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(busy.url().substring(7), null, 503),
                        org.assertj.core.groups.Tuple.tuple("127.0.0.1:" + dead, ProxyErrorType.CONNECTION_REFUSED,
                                0));
        assertThat(failure.attempts().get(0).phase()).isEqualTo(Phase.HEADERS);
        assertThat(RunningGateway.lastProxyStatusMember(failed).parameters())
                .containsEntry("error", "connection_refused");
        assertThat(gateway.failureAttributes(failed)).containsEntry(FailureAttributes.ATTEMPTS, "2");
    }
}
