package io.gatewise.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.logging.Logger;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ArchivePath;
import org.jboss.shrinkwrap.api.Filter;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The filter alone, dropped in: a shop's own web application (no proxy) with the gateway's jar in
 * {@code WEB-INF/lib} and nothing about it in its {@code web.xml} gets {@code FailureCauseFilter}
 * from the jar's {@code web-fragment.xml}. Its servlet, whose backend refuses the connection,
 * gets the gateway's classified answer instead of a bare 500, and the request attributes tell the
 * shop's own listener why.
 */
@ExtendWith(ArquillianExtension.class)
class FilterDropInContainerIT {
    private static final int REFUSING = InContainer.refusingPort();

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive shop() {
        WebArchive built = ShrinkWrap.createFromZipFile(WebArchive.class, new File(InContainer.war()));
        Filter<ArchivePath> libraries = path -> path.get().startsWith("/WEB-INF/lib/");
        return ShrinkWrap.create(WebArchive.class, "shop.war").merge(built, libraries)
                .addClasses(Orders.class, FailureListener.class)
                .setWebXML(new StringAsset("""
                        <?xml version="1.0" encoding="UTF-8"?>
                        <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                          <listener>
                            <listener-class>%s</listener-class>
                          </listener>
                          <servlet>
                            <servlet-name>orders</servlet-name>
                            <servlet-class>%s</servlet-class>
                            <init-param><param-name>backend-port</param-name><param-value>%d</param-value></init-param>
                          </servlet>
                          <servlet-mapping><servlet-name>orders</servlet-name><url-pattern>/orders</url-pattern></servlet-mapping>
                        </web-app>
                        """.formatted(FailureListener.class.getName(), Orders.class.getName(), REFUSING)));
    }

    @Test
    void theShopsRefusedBackendGetsTheGatewayAnswerAndTheAttributes() throws Exception {
        LogFile log = InContainer.log();
        int mark = log.mark();

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                InContainer.resolve(base, "shop", "orders")).header("Accept", "application/problem+json")
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("Proxy-Status")).hasValueSatisfying(
                value -> assertThat(value).endsWith("; error=connection_refused"));
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(response.body()).contains("\"proxy_error\":\"connection_refused\"", "\"cause\":\"upstream_down\"")
                .doesNotContain("127.0.0.1");
        assertThat(InContainer.awaitLogged(log, mark, "shop saw failure"))
                .contains("type=connection_refused", "cause=upstream_down", "status=502");
    }

    /** The shop's servlet: its backend (a database, a payment service) refuses the connection. */
    public static final class Orders extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException {
            int port = Integer.parseInt(getInitParameter("backend-port"));
            try (Socket backend = new Socket("127.0.0.1", port)) {
                response.setStatus(204);
            } catch (IOException e) {
                throw new ServletException("cannot load orders", e);
            }
        }
    }

    /** The shop's own listener, logging the attributes the filter set into the container's log. */
    public static final class FailureListener implements ServletRequestListener {
        private static final Logger LOG = Logger.getLogger("shop.failures");

        @Override
        public void requestDestroyed(ServletRequestEvent event) {
            Object type = event.getServletRequest().getAttribute("io.gatewise.failure.type");
            if (type != null) {
                LOG.warning("shop saw failure type=" + type
                        + " cause=" + event.getServletRequest().getAttribute("io.gatewise.failure.cause")
                        + " status=" + event.getServletRequest().getAttribute("io.gatewise.failure.status"));
            }
        }
    }
}
