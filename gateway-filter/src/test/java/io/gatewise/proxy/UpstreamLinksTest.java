package io.gatewise.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.RouteConfig;
import io.gatewise.config.UpstreamConfig;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.JettyUpstream;
import io.gatewise.testing.RunningGateway;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An upstream's links to itself ({@code Location}, {@code Content-Location}, {@code Refresh},
 * {@code Set-Cookie}) reach the visitor as links through the gateway, never as the internal
 * address; through a real gateway and a real upstream that answers with its own absolute URLs.
 */
class UpstreamLinksTest {
    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    /** Answers with links built from its own address, as an application behind a proxy often does. */
    static final class SelfLinkingServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String self = "http://" + request.getServerName() + ":" + request.getServerPort();
            response.setStatus(302);
            response.setHeader("Location", self + "/old-app/login?next=/old-app/cart#top");
            response.setHeader("Content-Location", self + "/old-app/cart");
            response.setHeader("Refresh", "5; url=" + self + "/old-app/home");
            response.addHeader("Set-Cookie", "SID=abc; Path=/old-app; Domain=" + request.getServerName() + "; HttpOnly");
            response.addHeader("Set-Cookie", "theme=dark; Path=/old-app/prefs; Secure");
            response.addHeader("Set-Cookie", "other=1; Path=/elsewhere; Domain=shop.example");
        }
    }

    private static UpstreamLinks links(String upstream, String routePath, boolean strip) {
        RouteConfig route = RouteConfig.builder().path(routePath).upstream(upstream).stripPrefix(strip).build();
        return UpstreamLinks.of("", route, UpstreamConfig.of(upstream));
    }

    @Test
    void anAbsoluteLocationOnTheUpstreamsOriginBecomesAPathUnderTheRoute() throws Exception {
        JettyUpstream upstream = gateways.jettyUpstream(new SelfLinkingServlet());
        RunningGateway gateway = gateways.builder().route(RouteConfig.builder().path("/legacy/").stripPrefix(true)
                .upstream(upstream.url() + "/old-app").build()).start();

        ContentResponse response = gateway.client().newRequest(gateway.url("/legacy/cart")).followRedirects(false)
                .send();

        assertThat(response.getStatus()).isEqualTo(302);
        assertThat(response.getHeaders().get("Location")).isEqualTo("/legacy/login?next=/old-app/cart#top");
        assertThat(response.getHeaders().get("Content-Location")).isEqualTo("/legacy/cart");
        assertThat(response.getHeaders().get("Refresh")).isEqualTo("5; url=/legacy/home");
        assertThat(response.getHeaders().getValuesList("Set-Cookie")).containsExactly(
                "SID=abc; Path=/legacy; HttpOnly", "theme=dark; Path=/legacy/prefs; Secure",
                "other=1; Path=/elsewhere; Domain=shop.example");
        assertThat(String.join("\n", response.getHeaders().getValuesList("Location"))
                + response.getHeaders().getValuesList("Set-Cookie")).doesNotContain("127.0.0.1");
    }

    @Test
    void aRouteCanKeepItsUpstreamsLinksAsSent() throws Exception {
        JettyUpstream upstream = gateways.jettyUpstream(new SelfLinkingServlet());
        RunningGateway gateway = gateways.builder().route(RouteConfig.builder().path("/legacy/").stripPrefix(true)
                .upstream(upstream.url() + "/old-app").rewriteLocation(false).rewriteCookies(false).build()).start();

        ContentResponse response = gateway.client().newRequest(gateway.url("/legacy/cart")).followRedirects(false)
                .send();

        assertThat(response.getHeaders().get("Location")).startsWith(upstream.url() + "/old-app/login");
        assertThat(response.getHeaders().getValuesList("Set-Cookie")).first().asString()
                .startsWith("SID=abc; Path=/old-app; Domain=");
    }

    @Test
    void withoutStripPrefixOnlyTheOriginGoes() {
        UpstreamLinks links = links("http://orders.internal:9001", "/api/", false);

        assertThat(links.location("http://orders.internal:9001/api/orders/7")).isEqualTo("/api/orders/7");
        assertThat(links.location("HTTP://ORDERS.internal:9001")).isEqualTo("/");
        assertThat(links.location("http://orders.internal:9001?x=1")).isEqualTo("/?x=1");
        assertThat(links.location("/api/orders/7")).isEqualTo("/api/orders/7");
        assertThat(links.setCookie("a=1; Path=/api")).isEqualTo("a=1; Path=/api");
        assertThat(links.setCookie("a=1; domain=.Orders.Internal; path=/")).isEqualTo("a=1; path=/");
    }

    @Test
    void onlyTheUpstreamsOwnOriginAndBasePathAreRewritten() {
        UpstreamLinks links = links("http://127.0.0.1:9001/old-app", "/legacy/", true);

        assertThat(links.location("http://127.0.0.1:9001/old-app")).isEqualTo("/legacy");
        assertThat(links.location("http://127.0.0.1:9001/old-app/")).isEqualTo("/legacy/");
        assertThat(links.location("/old-app/login")).as("path-absolute under the base").isEqualTo("/legacy/login");
        assertThat(links.location("http://127.0.0.1:9002/old-app/x")).as("another port").isEqualTo(
                "http://127.0.0.1:9002/old-app/x");
        assertThat(links.location("https://127.0.0.1:9001/old-app/x")).as("another scheme")
                .isEqualTo("https://127.0.0.1:9001/old-app/x");
        assertThat(links.location("http://127.0.0.1:9001/old-apps")).as("not under the base")
                .isEqualTo("http://127.0.0.1:9001/old-apps");
        assertThat(links.location("http://user@127.0.0.1:9001/old-app/x")).as("user info: left alone")
                .isEqualTo("http://user@127.0.0.1:9001/old-app/x");
        assertThat(links.location("//127.0.0.1:9001/old-app/x")).as("network-path reference: left alone")
                .isEqualTo("//127.0.0.1:9001/old-app/x");
        assertThat(links.location("https://shop.example/old-app/x")).isEqualTo("https://shop.example/old-app/x");
        assertThat(links.location("login")).isEqualTo("login");
        assertThat(links.location("http://127.0.0.1:notaport/old-app")).isEqualTo("http://127.0.0.1:notaport/old-app");
        assertThat(links.refresh("0;URL='http://127.0.0.1:9001/old-app/a'")).isEqualTo("0;URL='/legacy/a'");
        assertThat(links.refresh("3")).isEqualTo("3");
        assertThat(links.refresh("3, /old-app/b")).isEqualTo("3, /legacy/b");
    }

    @Test
    void defaultPortsAndIpv6LiteralsMatchAsTheSameOrigin() {
        assertThat(links("http://orders.internal", "/api/", false).location("http://orders.internal:80/api/x"))
                .isEqualTo("/api/x");
        assertThat(links("https://orders.internal:443", "/api/", false).location("https://orders.internal/api/x"))
                .isEqualTo("/api/x");
        assertThat(links("http://[::1]:9001", "/api/", false).location("http://[::1]:9001/api/x")).isEqualTo("/api/x");
        assertThat(links("http://[::1]:9001", "/api/", false).setCookie("a=1; Domain=[::1]")).isEqualTo("a=1");
    }

    @Test
    void cookiesOutsideTheBasePathAndOtherDomainsPassAsSent() {
        UpstreamLinks links = links("http://127.0.0.1:9001/old-app", "/legacy/", true);

        assertThat(links.setCookie("a=1; Path=/other; Domain=shop.example; SameSite=Lax"))
                .isEqualTo("a=1; Path=/other; Domain=shop.example; SameSite=Lax");
        assertThat(links.setCookie("a=\"x;y\"")).isEqualTo("a=\"x;y\"");
        assertThat(List.of(links.setCookie("a=1; Path=/old-app/"), links.setCookie("a=1;Path=/old-app")))
                .containsExactly("a=1; Path=/legacy/", "a=1; Path=/legacy");
    }
}
