package io.gatewise.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.faults.ClosedPort;
import io.gatewise.testing.EchoServlet;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.JettyUpstream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The embedding example docs/getting-started.md shows, run as it is: the application's own servlet keeps working,
 * and the gateway answers under both mount points, failures included.
 */
class ShopApplicationTest {
    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private final HttpClient client = new HttpClient();
    private Server shop;

    @AfterEach
    void stop() throws Exception {
        client.stop();
        if (shop != null) {
            shop.stop();
        }
    }

    @Test
    void theApplicationKeepsItsServletAndGainsTheGatewayBothWays() throws Exception {
        JettyUpstream orders = gateways.jettyUpstream(new EchoServlet());
        shop = ShopApplication.start("127.0.0.1", 0, orders.url());
        client.start();

        assertThat(get("/shop/catalog").getContentAsString()).isEqualTo("catalog: 3 items");
        ContentResponse installed = get("/shop/backend/orders/7");
        ContentResponse added = get("/gateway/orders/7");
        assertThat(installed.getStatus()).isEqualTo(200);
        assertThat(installed.getHeaders().get("Via")).contains("shop-edge");
        assertThat(added.getStatus()).isEqualTo(200);
        assertThat(added.getHeaders().get("Via")).contains("shop-edge");
    }

    @Test
    void aRefusedUpstreamGetsTheGatewaysAnswerUnderBothMountPoints() throws Exception {
        shop = ShopApplication.start("127.0.0.1", 0, "http://127.0.0.1:" + ClosedPort.find());
        client.start();

        for (String path : new String[] {"/shop/backend/orders/7", "/gateway/orders/7"}) {
            ContentResponse failed = client.newRequest(base() + path).headers(h -> h.put("Accept", "text/plain"))
                    .send();
            assertThat(failed.getStatus()).as(path).isEqualTo(502);
            assertThat(failed.getHeaders().get("Proxy-Status")).as(path).isEqualTo("shop-edge; error=connection_refused");
            assertThat(failed.getContentAsString()).as(path).startsWith("502 ").contains("connection_refused");
        }
        assertThat(get("/shop/catalog").getStatus()).as("the application's own servlet").isEqualTo(200);
    }

    @Test
    void readmeShowsThisExampleAsItIs() throws IOException {
        String example = Files.readString(Path.of("src/test/java/io/gatewise/example/ShopApplication.java"),
                StandardCharsets.UTF_8);
        String guide = Files.readString(Path.of("../docs/getting-started.md"), StandardCharsets.UTF_8);

        assertThat(guide).as("the getting-started guide's embedding section shows ShopApplication.java verbatim")
                .contains(example.substring(example.indexOf("import ")));
    }

    private ContentResponse get(String path) throws Exception {
        return client.GET(base() + path);
    }

    private String base() {
        return "http://127.0.0.1:" + ((NetworkConnector) shop.getConnectors()[0]).getLocalPort();
    }
}
