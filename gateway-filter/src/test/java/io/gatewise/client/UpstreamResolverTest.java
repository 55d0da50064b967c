package io.gatewise.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatewise.config.ServerConfig;
import io.gatewise.failure.ProhibitedAddressException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.InetAddressSet;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An IPv6 answer that carries an IPv4 address (mapped, compatible, NAT64) is matched against
 * prohibited ranges as that IPv4 address too.
 */
class UpstreamResolverTest {
    private final ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler();

    @BeforeEach
    void start() throws Exception {
        scheduler.start();
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.stop();
    }

    @Test
    void mappedAnswerIsProhibitedByTheIpv4Range() throws Exception {
        UpstreamResolver resolver = resolver(List.of("127.0.0.0/8"), mapped(127, 0, 0, 3));

        assertThatThrownBy(() -> resolve(resolver))
                .hasCauseInstanceOf(ProhibitedAddressException.class);
    }

    @Test
    void mappedRangeInTheConfigProhibitsBothForms() throws Exception {
        List<String> ranges = List.of("::ffff:127.0.0.3/128");

        assertThatThrownBy(() -> resolve(resolver(ranges, InetAddress.getByName("127.0.0.3"))))
                .hasCauseInstanceOf(ProhibitedAddressException.class);
        assertThatThrownBy(() -> resolve(resolver(ranges, mapped(127, 0, 0, 3))))
                .hasCauseInstanceOf(ProhibitedAddressException.class);
        assertThat(resolve(resolver(ranges, InetAddress.getByName("127.0.0.4")))).hasSize(1);
    }

    @Test
    void nat64AndIpv4CompatibleAnswersAreMatchedAsTheIpv4AddressTheyCarry() throws Exception {
        List<String> ranges = List.of("127.0.0.0/8");
        InetAddress nat64 = InetAddress.getByName("64:ff9b::7f00:3");
        InetAddress compatible = InetAddress.getByName("::127.0.0.3");

        assertThatThrownBy(() -> resolve(resolver(ranges, nat64))).hasCauseInstanceOf(ProhibitedAddressException.class);
        assertThatThrownBy(() -> resolve(resolver(ranges, compatible)))
                .hasCauseInstanceOf(ProhibitedAddressException.class);
        assertThat(resolve(resolver(ranges, InetAddress.getByName("64:ff9b::a00:5")))).as("10.0.0.5 is not prohibited")
                .hasSize(1);
        assertThat(resolve(resolver(ranges, InetAddress.getByName("64:ff9b:1::7f00:3"))))
                .as("not the well-known prefix: no IPv4 address read from it").hasSize(1);
    }

    @Test
    void anIpv6RangeStillProhibitsTheIpv6FormItself() throws Exception {
        assertThatThrownBy(() -> resolve(resolver(List.of("64:ff9b::/96"), InetAddress.getByName("64:ff9b::a00:5"))))
                .hasCauseInstanceOf(ProhibitedAddressException.class);
        assertThat(resolve(resolver(List.of("127.0.0.0/8"), InetAddress.getByName("::1")))).as("IPv6's own loopback"
                + " is not 0.0.0.1 of IPv4").hasSize(1);
        assertThatThrownBy(() -> resolve(resolver(List.of("::1/128"), InetAddress.getByName("::1"))))
                .hasCauseInstanceOf(ProhibitedAddressException.class);
    }

    private UpstreamResolver resolver(List<String> prohibitedAddresses, InetAddress answer) {
        InetAddressSet prohibited = new InetAddressSet();
        prohibited.addAll(ServerConfig.builder().prohibitedAddresses(prohibitedAddresses).build().prohibitedAddresses());
        return new UpstreamResolver((host, port, context, promise) -> promise.succeeded(
                List.of(new InetSocketAddress(answer, port))), scheduler, Duration.ofSeconds(5), prohibited);
    }

    private static List<InetSocketAddress> resolve(UpstreamResolver resolver) throws Exception {
        Promise.Completable<List<InetSocketAddress>> answer = new Promise.Completable<>();
        resolver.resolve("upstream.test", 80, null, answer);
        return answer.get(5, TimeUnit.SECONDS);
    }

    private static InetAddress mapped(int a, int b, int c, int d) throws Exception {
        byte[] raw = new byte[16];
        raw[10] = (byte) 0xff;
        raw[11] = (byte) 0xff;
        raw[12] = (byte) a;
        raw[13] = (byte) b;
        raw[14] = (byte) c;
        raw[15] = (byte) d;
        InetAddress address = Inet6Address.getByAddress(null, raw, -1);
        assertThat(address).as("a resolver can hand out the IPv6 form").isInstanceOf(Inet6Address.class);
        return address;
    }
}
