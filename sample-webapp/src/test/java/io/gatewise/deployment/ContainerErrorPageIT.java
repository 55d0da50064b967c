package io.gatewise.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.faults.ClosedPort;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code errorPages.dispatch: container}, an operator's own web.xml {@code <error-page>}
 * renders the failure: the gateway sets the status, {@code Proxy-Status} and the request
 * attributes, and the container's error dispatch does the rest. The built WAR is unpacked and its
 * web.xml replaced by one that maps a page of the operator's, as a shop would.
 */
class ContainerErrorPageIT {
    private static final String WEB_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
              <context-param><param-name>gatewise.config</param-name><param-value>%s</param-value></context-param>
              <filter>
                <filter-name>gatewise-failures</filter-name>
                <filter-class>io.gatewise.filter.FailureCauseFilter</filter-class>
                <async-supported>true</async-supported>
              </filter>
              <filter-mapping>
                <filter-name>gatewise-failures</filter-name><url-pattern>/*</url-pattern>
                <dispatcher>REQUEST</dispatcher><dispatcher>ASYNC</dispatcher>
              </filter-mapping>
              <servlet>
                <servlet-name>gatewise</servlet-name>
                <servlet-class>io.gatewise.runtime.GatewayProxyServlet</servlet-class>
                <load-on-startup>1</load-on-startup>
                <async-supported>true</async-supported>
              </servlet>
              <servlet-mapping><servlet-name>gatewise</servlet-name><url-pattern>/*</url-pattern></servlet-mapping>
              <servlet>
                <servlet-name>shop-error-page</servlet-name>
                <servlet-class>io.gatewise.deployment.ContainerErrorPageIT$ShopErrorPage</servlet-class>
              </servlet>
              <servlet-mapping><servlet-name>shop-error-page</servlet-name><url-pattern>/oops</url-pattern></servlet-mapping>
              <error-page><location>/oops</location></error-page>
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

    @Test
    void theOperatorsErrorPageReadsTheFailureInJetty() throws Exception {
        Path webapp = unpackWithOperatorsErrorPage();
        WebAppContext context = new WebAppContext(webapp.toString(), "/shop");
        context.setTempDirectory(Files.createDirectories(dir.resolve("work")).toFile());
        Containers.Running jetty = Containers.jetty(context);
        running = jetty;

        // Jetty's error handler dispatches to error pages for GET and POST only (ErrorHandler.ERROR_METHODS):
        // with dispatch: container, the container's rules apply. The gateway's own pages have no such gap.
        assertOperatorsPage(URI.create("http://127.0.0.1:" + jetty.port() + "/shop/down/x"), List.of("GET", "POST"));
    }

    @Test
    void theOperatorsErrorPageReadsTheFailureInTomcat() throws Exception {
        Path webapp = unpackWithOperatorsErrorPage();
        Containers.Running tomcat = Containers.tomcat(dir.resolve("tomcat"), "/shop", webapp);
        running = tomcat;

        assertOperatorsPage(URI.create("http://127.0.0.1:" + tomcat.port() + "/shop/down/x"),
                List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"));
    }

    private static void assertOperatorsPage(URI failing, List<String> methods) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (String method : methods) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(failing)
                    .method(method, HttpRequest.BodyPublishers.noBody()).header("Accept", "text/html")
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(method).isEqualTo(502);
            assertThat(response.headers().firstValue("Proxy-Status")).as(method).get().asString()
                    .isEqualTo("edge-shop; error=connection_refused");
            // Jetty's error handler widens it to "must-revalidate,no-cache,no-store": still never stored.
            assertThat(response.headers().firstValue("Cache-Control").orElse("")).as(method).contains("no-store");
            assertThat(response.body()).as(method + ": the operator's page, with the attributes")
                    .startsWith("shop page\n")
                    .contains("type=connection_refused\n", "cause=upstream_down\n", "status=502\n",
                            "route=/down/\n", "jakarta.servlet.error.status_code=502\n")
                    .containsPattern("incident=[0-9A-Z]{12}\n");
        }
    }

    /** The built WAR, unpacked, with a web.xml that maps the shop's own error page and dispatch: container. */
    private Path unpackWithOperatorsErrorPage() throws IOException {
        Path webapp = Containers.unpack(Path.of(InContainer.war()), dir.resolve("shop"), name -> true);
        Path config = Files.writeString(dir.resolve("gateway.yaml"), "gateway: { name: edge-shop }\n"
                + "errorPages: { dispatch: container }\nroutes:\n"
                + "  - path: /down/\n    upstreams: [ { url: 'http://127.0.0.1:" + ClosedPort.find() + "' } ]\n");
        Files.writeString(webapp.resolve("WEB-INF/web.xml"), String.format(WEB_XML, config));
        return webapp;
    }

    /** A shop's own error page: prints the failure attributes the gateway set, as a JSP would. */
    public static final class ShopErrorPage extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private static final List<String> NAMES = List.of("type", "cause", "status", "route", "incident");

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=utf-8");
            PrintWriter out = response.getWriter();
            out.print("shop page\n");
            for (String name : NAMES) {
                out.print(name + "=" + request.getAttribute("io.gatewise.failure." + name) + "\n");
            }
            out.print("jakarta.servlet.error.status_code=" + request.getAttribute("jakarta.servlet.error.status_code")
                    + "\n");
        }
    }
}
