package io.gatewise.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The filter alone, dropped in: a web application of its own (no proxy) with the gateway's jar in
 * {@code WEB-INF/lib} and nothing about it in its {@code web.xml} gets {@code FailureCauseFilter}
 * from the jar's {@code web-fragment.xml}. Its servlet whose database refuses the connection gets
 * the gateway's classified answer instead of a bare 500, in Jetty and in Tomcat.
 */
class FilterDropInIT {
    private static final String WEB_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
              <servlet>
                <servlet-name>orders</servlet-name>
                <servlet-class>io.gatewise.deployment.FilterDropInIT$Orders</servlet-class>
              </servlet>
              <servlet-mapping><servlet-name>orders</servlet-name><url-pattern>/orders</url-pattern></servlet-mapping>
            </web-app>
            """;

    @TempDir
    Path dir;

    private AutoCloseable running;

    @AfterEach
    void stop() throws Exception {
        if (running != null) {
            running.close();
        }
    }

    /** The application's own servlet: its database refuses connections. */
    public static final class Orders extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException {
            throw new ServletException("cannot load orders", new ConnectException("Connection refused"));
        }
    }

    @Test
    void inJetty() throws Exception {
        WebAppContext context = new WebAppContext(shopWithTheJarOnly().toString(), "/shop");
        context.setTempDirectory(Files.createDirectories(dir.resolve("work")).toFile());
        Containers.Running jetty = Containers.jetty(context);
        running = jetty;

        assertGatewayAnswer(jetty.port());
    }

    @Test
    void inTomcat() throws Exception {
        Containers.Running tomcat = Containers.tomcat(dir.resolve("tomcat"), "/shop", shopWithTheJarOnly());
        running = tomcat;

        assertGatewayAnswer(tomcat.port());
    }

    private static void assertGatewayAnswer(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/shop/orders")).header("Accept", "application/problem+json")
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("Proxy-Status")).contains("gatewise; error=connection_refused");
        assertThat(response.body()).contains("\"proxy_error\":\"connection_refused\"");
    }

    /** A web application of its own: the built WAR's libraries, its own web.xml, no gateway in it. */
    private Path shopWithTheJarOnly() throws IOException {
        Path webapp = Containers.unpack(Path.of(FailurePagesEverywhereIT.war()), dir.resolve("shop"),
                name -> name.startsWith("WEB-INF/lib/"));
        Files.writeString(webapp.resolve("WEB-INF/web.xml"), WEB_XML);
        return webapp;
    }
}
