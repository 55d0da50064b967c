package io.gatewise.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.greenbytes.http.sfv.ListElement;
import org.greenbytes.http.sfv.OuterList;
import org.greenbytes.http.sfv.Parser;
import org.junit.jupiter.api.Test;

/** Proxy-Status members, read back with an independent RFC 8941 parser. */
class ProxyStatusTest {
    private static UpstreamFailure.Builder failure() {
        return UpstreamFailure.builder().type(ProxyErrorType.DNS_ERROR).phase(Phase.RESOLVE).incident("ABC")
                .upstream("api.internal:8443").reason("name does not resolve");
    }

    private static ListElement<?> parseOne(String field) {
        OuterList list = Parser.parseList(field);
        assertThat(list.get()).hasSize(1);
        return list.get().get(0);
    }

    @Test
    void memberHasTheTypeAsATokenAndTheNextHopAsAString() {
        String member = ProxyStatus.member("edge-1", failure().parameters(Map.of("rcode", "NXDOMAIN")).build(), false);

        assertThat(member).isEqualTo("edge-1; error=dns_error; next-hop=\"api.internal:8443\"; rcode=\"NXDOMAIN\"");
        ListElement<?> parsed = parseOne(member);
        assertThat(parsed.get()).isEqualTo("edge-1");
        assertThat(parsed.getParams().get("error").get()).isEqualTo("dns_error");
    }

    @Test
    void integersStayIntegersAndDetailsAppearOnlyWhenAllowed() {
        UpstreamFailure alert = UpstreamFailure.builder().type(ProxyErrorType.TLS_ALERT_RECEIVED).phase(Phase.TLS)
                .incident("X").parameters(Map.of("alert-id", 40L)).reason("upstream ended the handshake").build();

        assertThat(parseOne(ProxyStatus.member("gw", alert, false)).getParams()).doesNotContainKey("details");
        ListElement<?> withDetails = parseOne(ProxyStatus.member("gw", alert, true));
        assertThat(withDetails.getParams().get("alert-id").get()).isEqualTo(40L);
        assertThat(withDetails.getParams().get("details").get()).isEqualTo("upstream ended the handshake");
    }

    @Test
    void detailsSayHowManyUpstreamsWereTriedWhenMoreThanOne() {
        UpstreamFailure.Builder refused = UpstreamFailure.builder().type(ProxyErrorType.CONNECTION_REFUSED)
                .phase(Phase.CONNECT).incident("Y").upstream("127.0.0.1:9002").reason("connection refused");
        refused.attempt(new Attempt("127.0.0.1:9001", ProxyErrorType.CONNECTION_REFUSED, Phase.CONNECT,
                Duration.ofMillis(1)));
        refused.attempt(new Attempt("127.0.0.1:9002", ProxyErrorType.CONNECTION_REFUSED, Phase.CONNECT,
                Duration.ofMillis(1)));

        assertThat(parseOne(ProxyStatus.member("gw", refused.build(), true)).getParams().get("details").get())
                .isEqualTo("2 upstreams tried, last: connection refused");
        assertThat(parseOne(ProxyStatus.member("gw", refused.build(), false)).getParams())
                .as("visitors are not told the size of the pool").doesNotContainKey("details");
    }

    @Test
    void hostileTextIsEscapedOrReplacedNeverPassedThrough() {
        String hostile = "a\"b\\c\r\nX-Injected: yes\u0000\u00e9\u2028end";
        String member = ProxyStatus.member("gw", failure().parameters(Map.of("rcode", hostile)).reason(hostile).build(),
                true);

        assertThat(member).doesNotContain("\r").doesNotContain("\n").doesNotContain("\u00e9").doesNotContain("\u0000");
        assertThat(member.chars()).allMatch(c -> c >= 0x20 && c <= 0x7E);
        ListElement<?> parsed = parseOne(member);
        assertThat(parsed.getParams().get("rcode").get()).isEqualTo("a\"b\\c??X-Injected: yes???end");
        assertThat(parsed.getParams().get("details").get()).isEqualTo("a\"b\\c??X-Injected: yes???end");
    }

    @Test
    void veryLongStringsAreCut() {
        String member = ProxyStatus.member("gw", failure().reason("x".repeat(10_000)).build(), true);

        assertThat(member.length()).isLessThan(400);
        assertThat(parseOne(member).getParams().get("details").get().toString()).hasSize(256);
    }

    @Test
    void ourMemberGoesAfterTheUpstreamsOwn() {
        String field = ProxyStatus.append("inner; error=connection_refused",
                ProxyStatus.received("edge-1", "orders.internal:80", 502));

        OuterList list = Parser.parseList(field);
        assertThat(list.get()).hasSize(2);
        assertThat(list.get().get(1).get()).isEqualTo("edge-1");
        assertThat(list.get().get(1).getParams().get("received-status").get()).isEqualTo(502L);
        assertThat(ProxyStatus.append(null, "edge-1")).isEqualTo("edge-1");
    }
}
