package io.gatewise.errorpage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatewise.config.RouteConfig;
import io.gatewise.faults.Faults;
import io.gatewise.faults.SocketUpstream;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.RunningGateway;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An intercepted upstream {@code 503} says one {@code Retry-After}, in the header and on the page:
 * the upstream's when it is a valid delay, else the gateway's own; never the upstream's raw text.
 */
class InterceptedRetryAfterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private ContentResponse intercepted(String retryAfter) throws Exception {
        SocketUpstream busy = gateways.socketUpstream(Faults.raw("HTTP/1.1 503 Service Unavailable\r\nRetry-After: "
                + retryAfter + "\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbusy"));
        RunningGateway gateway = gateways.builder().route(RouteConfig.builder().path("/busy/").upstream(busy.url())
                .interceptStatuses(List.of(503)).build()).gatewayErrorPages().start();
        return gateway.get("/busy/x", h -> h.put("Accept", "application/problem+json"));
    }

    private static long pageSays(ContentResponse response) throws Exception {
        return JSON.readTree(response.getContent()).get("retry_after").asLong();
    }

    @Test
    void aValidDelayInSecondsIsSaidOnceInTheHeaderAndOnThePage() throws Exception {
        ContentResponse response = intercepted(" 120 ");

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaders().getValuesList("Retry-After")).containsExactly("120");
        assertThat(pageSays(response)).isEqualTo(120);
    }

    @Test
    void anHttpDateBecomesTheSecondsUntilIt() throws Exception {
        String inTenMinutes = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusMinutes(10));

        ContentResponse response = intercepted(inTenMinutes);

        long seconds = Long.parseLong(response.getHeaders().get("Retry-After"));
        assertThat(seconds).as("about ten minutes, whatever the test's own pace").isBetween(540L, 600L);
        assertThat(pageSays(response)).isEqualTo(seconds);
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "-1", "1.5", "99999999999", "86401", "<script>alert(1)</script>",
            "Sun, 06 Nov 1994 08:49:37 GMT tomorrow", "06/11/1994"})
    void anythingElseGivesTheGatewaysOwnDelay(String retryAfter) throws Exception {
        ContentResponse response = intercepted(retryAfter);

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaders().getValuesList("Retry-After")).as(retryAfter).containsExactly("5");
        assertThat(pageSays(response)).isEqualTo(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"})
    void aDateAlreadyPastInAnyOfTheThreeFormsMeansNow(String date) throws Exception {
        ContentResponse response = intercepted(date);

        assertThat(response.getHeaders().get("Retry-After")).isEqualTo("0");
        assertThat(pageSays(response)).isZero();
    }
}
