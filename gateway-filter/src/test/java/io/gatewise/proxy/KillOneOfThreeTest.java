package io.gatewise.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.RouteConfig;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.JettyUpstream;
import io.gatewise.testing.NamedServlet;
import io.gatewise.testing.RunningGateway;
import io.gatewise.upstream.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reliability test: three upstreams under a bounded load of idempotent requests, one of them
 * is killed halfway. Retries on the other two must hide it from every client.
 */
class KillOneOfThreeTest {
    private static final int CLIENTS = 4;
    private static final int REQUESTS_PER_CLIENT = 100;

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    @Test
    void killingOneOfThreeUpstreamsUnderLoadFailsNoClientRequest() throws Exception {
        List<JettyUpstream> upstreams = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            upstreams.add(gateways.jettyUpstream(new NamedServlet(name)));
        }
        RouteConfig.Builder route = RouteConfig.builder().path("/api/");
        upstreams.forEach(upstream -> route.upstream(upstream.url()));
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch halfway = new CountDownLatch(CLIENTS * REQUESTS_PER_CLIENT / 2);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        RunningGateway gateway = gateways.start(route.build());
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                running.add(clients.submit(() -> {
                    for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
                        sent.incrementAndGet();
                        try {
                            if (gateway.get("/api/item/" + i).getStatus() != 200) {
                                failed.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                        halfway.countDown();
                    }
                    return null;
                }));
            }
            Endpoint dead = gateway.server().gateway().routes().routes().get(0).pool().endpoints().get(1);
            assertThat(halfway.await(60, TimeUnit.SECONDS)).isTrue();
            upstreams.get(1).close();
            long killed = System.nanoTime();
            long ejectedAfterNanos = -1;
            for (Future<?> client : running) {
                while (!client.isDone()) {
                    if (ejectedAfterNanos < 0 && dead.ejected()) {
                        ejectedAfterNanos = System.nanoTime() - killed;
                    }
                    Thread.onSpinWait();
                }
                client.get(60, TimeUnit.SECONDS);
            }

            // Measured, not asserted: how long the dead upstream kept getting first attempts.
            System.out.printf("kill-one-of-three: sent=%d failed=%d dead-upstream attempts=%d failures(retried)=%d"
                    + " ejected=%s after %.1f ms%n", sent.get(), failed.get(), dead.attempts(), dead.failures(),
                    dead.ejected(), ejectedAfterNanos / 1e6);
            assertThat(sent.get()).isEqualTo(CLIENTS * REQUESTS_PER_CLIENT);
            assertThat(failed.get()).as("client-visible failures").isZero();
            assertThat(dead.failures()).as("the dead upstream's failures, each retried elsewhere").isPositive();
            assertThat(dead.ejected()).as("five failures in a row took it out of rotation").isTrue();
            assertThat(gateway.pendingEvents()).as("no failure reached a client").isEmpty();
        } finally {
            clients.shutdownNow();
        }
    }
}
