package io.gatewise.filter;

import io.gatewise.answer.FailureAttributes;
import static io.gatewise.testing.FailureAssertions.assertAnswered;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.RouteConfig;
import io.gatewise.exchange.ExchangeTrace;
import io.gatewise.failure.FailureCause;
import io.gatewise.failure.Phase;
import io.gatewise.failure.ProxyErrorType;
import io.gatewise.failure.UpstreamFailure;
import io.gatewise.faults.BlackholeUpstream;
import io.gatewise.faults.ClosedPort;
import io.gatewise.testing.ExhaustedPoolServlet;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.RunningGateway;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.SQLNonTransientConnectionException;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Servlets of the same web application that talk to a database or another service themselves: the
 * filter gives their upstream failures the same classification, status, Proxy-Status and request
 * attributes as proxied requests. The "database" here is a real socket to a loopback port that
 * refuses or never answers, wrapped the way a JDBC driver wraps it.
 */
public class FailureCauseFilterTest {
    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    private RunningGateway start() throws Exception {
        return gateways.builder()
                .route(RouteConfig.builder().path("/api/").upstream("http://127.0.0.1:9").build())
                .context(context -> {
                    context.addServlet(DatabaseServlet.class, "/db/*");
                    context.addServlet(BrokenServlet.class, "/broken/*");
                    context.addServlet(ExhaustedPoolServlet.class, "/pool/*");
                    context.addServlet(AsyncDatabaseServlet.class, "/async-db/*").setAsyncSupported(true);
                })
                .start();
    }

    @Test
    void databaseThatRefusesConnectionsIsConnectionRefused502() throws Exception {
        int port = ClosedPort.find();
        RunningGateway gateway = start();
        ContentResponse response = gateway.get("/db/orders?port=" + port);

        UpstreamFailure failure = assertAnswered(gateway, response, ProxyErrorType.CONNECTION_REFUSED, 502,
                FailureCause.UPSTREAM_DOWN, Phase.CONNECT, null);
        assertThat(failure.detail()).as("the operator sees the cause that decided the classification")
                .startsWith("ServletException: Cannot load orders <- SQLNonTransientConnectionException:")
                .contains("<- ConnectException: Connection refused");
    }

    @Test
    void anApplicationFailureIsInTheClientsTraceWhenNoSpanOfTheApplicationIsCurrent() throws Exception {
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        RunningGateway gateway = start();

        ContentResponse response = gateway.get("/db/orders?port=" + ClosedPort.find(), headers -> headers
                .put("traceparent", "00-" + traceId + "-b7ad6b7169203331-01"));

        assertThat(response.getStatus()).isEqualTo(502);
        assertThat(gateway.onlyEvent().failure().traceId()).contains(traceId);
        assertThat(gateway.failureAttributes(response)).containsEntry(ExchangeTrace.TRACE_ID_ATTRIBUTE, traceId);
        assertThat(gateway.get("/db/orders?port=" + ClosedPort.find()).getStatus()).isEqualTo(502);
        assertThat(gateway.onlyEvent().failure().traceId()).as("no traceparent, no span: no trace").isEmpty();
    }

    @Test
    void databaseThatNeverAnswersTheConnectIsConnectionTimeout504() throws Exception {
        BlackholeUpstream blackhole = gateways.blackholeUpstream();
        RunningGateway gateway = start();
        ContentResponse response = gateway.get("/db/orders?port=" + blackhole.port());

        assertAnswered(gateway, response, ProxyErrorType.CONNECTION_TIMEOUT, 504, FailureCause.FIREWALL,
                Phase.CONNECT, null);
    }

    @Test
    void exhaustedConnectionPoolIsConnectionLimitReached503() throws Exception {
        RunningGateway gateway = start();

        assertAnswered(gateway, gateway.get("/pool/"), ProxyErrorType.CONNECTION_LIMIT_REACHED, 503,
                FailureCause.NO_CAPACITY, Phase.CONNECT, null);
    }

    @Test
    void asynchronousServletWhoseDatabaseRefusesIsConnectionRefused502() throws Exception {
        int port = ClosedPort.find();
        RunningGateway gateway = start();
        ContentResponse response = gateway.get("/async-db/orders?port=" + port);

        assertAnswered(gateway, response, ProxyErrorType.CONNECTION_REFUSED, 502, FailureCause.UPSTREAM_DOWN,
                Phase.CONNECT, null);
    }

    @Test
    void applicationErrorsThatAreNotUpstreamFailuresPassThroughUntouched() throws Exception {
        RunningGateway gateway = start();
        ContentResponse response = gateway.get("/broken/");

        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(response.getHeaders().get("Proxy-Status")).isNull();
        assertThat(RunningGateway.errorPageAttributes(response)).doesNotContainKey(FailureAttributes.TYPE);
        assertThat(gateway.pendingEvents()).isEmpty();
    }

    /** Connects to 127.0.0.1:port like a JDBC driver would, and wraps the failure like one. */
    public static final class DatabaseServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
                throws ServletException, IOException {
            int port = Integer.parseInt(request.getParameter("port"));
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            } catch (IOException e) {
                throw new ServletException("Cannot load orders",
                        new SQLNonTransientConnectionException("Connection to database failed", "08001", e));
            }
            response.getWriter().print("connected");
        }
    }

    /**
     * Talks to its database on another thread, as an asynchronous servlet does, and dispatches
     * back to report the result: a failure is thrown from the ASYNC dispatch.
     */
    public static final class AsyncDatabaseServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private static final String FAILURE = "async-db.failure";

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
                throws ServletException, IOException {
            if (request.getDispatcherType() == jakarta.servlet.DispatcherType.ASYNC) {
                Object failure = request.getAttribute(FAILURE);
                if (failure instanceof IOException) {
                    throw new ServletException("Cannot load orders", (IOException) failure);
                }
                response.getWriter().print("connected");
                return;
            }
            int port = Integer.parseInt(request.getParameter("port"));
            jakarta.servlet.AsyncContext async = request.startAsync();
            async.start(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                } catch (IOException e) {
                    request.setAttribute(FAILURE, e);
                }
                async.dispatch();
            });
        }
    }

    /** An application bug, not an upstream failure. */
    public static final class BrokenServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            throw new IllegalStateException("a bug in the application");
        }
    }
}
