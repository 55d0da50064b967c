package io.gatewise.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.demo.EchoUpstream;
import io.gatewise.faults.ClosedPort;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same WAR in Tomcat 10.1: the gateway needs nothing from the container but Servlet 6.0. */
class TomcatDeploymentIT {
    @TempDir
    Path dir;

    @Test
    void warProxiesInsideTomcat() throws Exception {
        EchoUpstream upstream = EchoUpstream.start();

        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createDirectories(dir.resolve("tomcat")).toString());
        Files.createDirectories(dir.resolve("tomcat/webapps"));
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        try {
            Path config = Files.writeString(dir.resolve("gateway.yaml"), "gateway: { name: edge-tomcat }\nroutes:\n"
                    + "  - path: /api/\n    upstreams: [ { url: 'http://127.0.0.1:" + upstream.port()
                    + "' } ]\n  - path: /down/\n    upstreams: [ { url: 'http://127.0.0.1:" + ClosedPort.find()
                    + "' } ]\n");
            System.setProperty("gatewise.config", config.toString());
            StandardContext context = (StandardContext) tomcat.addWebapp("/gw", Path.of(System.getProperty(
                    "gatewise.war", "target/gatewise.war")).toAbsolutePath().toString());
            // The test's class path carries Jetty's Jakarta WebSocket (the standalone gateway's), whose initializer
            // would run in this Tomcat and fail; a Tomcat an operator runs has none of it.
            context.setContainerSciFilter("^org\\.eclipse\\.jetty\\.");
            tomcat.start();

            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/gw/api/items?page=3"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("GET /api/items?page=3 HTTP/1.1").contains("Via: 1.1 edge-tomcat");
            HttpResponse<String> failed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/gw/down/x")).header("Accept-Language", "zh-CN")
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(failed.statusCode()).isEqualTo(502);
            assertThat(failed.headers().firstValue("Proxy-Status")).get().asString()
                    .isEqualTo("edge-tomcat; error=connection_refused");
            assertThat(failed.body()).as("the WAR's error page is the gateway's").startsWith("502 服务暂时没有响应");
        } finally {
            System.clearProperty("gatewise.config");
            tomcat.stop();
            tomcat.destroy();
            upstream.close();
        }
    }
}
