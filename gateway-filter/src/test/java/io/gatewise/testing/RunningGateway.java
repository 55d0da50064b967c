package io.gatewise.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.config.ErrorPagesConfig;
import io.gatewise.config.GatewayConfig;
import io.gatewise.config.GatewaySettings;
import io.gatewise.config.RouteConfig;
import io.gatewise.failure.FailureEvent;
import io.gatewise.filter.FailureAttributes;
import io.gatewise.server.GatewayServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.greenbytes.http.sfv.ListElement;
import org.greenbytes.http.sfv.OuterList;
import org.greenbytes.http.sfv.Parser;

/**
 * A real gateway on a free loopback port for failure tests: it records every failure event and
 * access log line, and has a plain {@code <error-page>} servlet that prints the failure request
 * attributes, as a web.xml error page would see them.
 */
public final class RunningGateway implements AutoCloseable {
    /** The gateway's name in {@code Via} and {@code Proxy-Status}. */
    public static final String NAME = "edge-test";
    /** Where the error page servlet is mapped. */
    public static final String ERROR_PAGE = "/__error-page";

    private final BlockingQueue<FailureEvent> events = new LinkedBlockingQueue<>();
    private final List<String> accessLog = new CopyOnWriteArrayList<>();
    private final GatewayServer gateway;
    private final HttpClient client = new HttpClient();

    private RunningGateway(Builder builder) throws Exception {
        GatewaySettings.Builder gatewaySettings = GatewaySettings.builder().name(NAME).host("127.0.0.1").port(0);
        builder.settings.accept(gatewaySettings);
        // The attributes page is a web.xml <error-page>: it needs the container's error dispatch.
        ErrorPagesConfig errorPages = builder.attributesErrorPage
                ? ErrorPagesConfig.builder().dispatch(ErrorPagesConfig.Dispatch.CONTAINER).build() : builder.errorPages;
        GatewayConfig config = GatewayConfig.builder().gateway(gatewaySettings.build()).routes(builder.routes)
                .errorPages(errorPages).build();
        Consumer<ServletContextHandler> context = builder.context;
        boolean attributesPage = builder.attributesErrorPage;
        gateway = GatewayServer.builder(config)
                .resolver(builder.resolver)
                .listener(events::add)
                .accessLog(accessLog::add)
                .clientIdleTimeout(builder.clientIdleTimeout)
                .clock(builder.clock)
                .customizeContext(handler -> {
                    if (attributesPage) {
                        ErrorPageErrorHandler errorHandler = (ErrorPageErrorHandler) handler.getErrorHandler();
                        errorHandler.addErrorPage(400, 599, ERROR_PAGE);
                        handler.addServlet(AttributesErrorPage.class, ERROR_PAGE);
                    }
                    context.accept(handler);
                })
                .build().start();
        client.setFollowRedirects(false);
        client.start();
    }

    /** Starts a harness; see {@link Builder}. @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param route one route
     * @return a started harness with that route
     * @throws Exception if it cannot start
     */
    public static RunningGateway start(RouteConfig route) throws Exception {
        return builder().route(route).start();
    }

    /** @return the gateway's port */
    public int port() {
        return gateway.port();
    }

    /**
     * @param path the path and query
     * @return the response to a GET
     * @throws Exception if the client fails
     */
    public ContentResponse get(String path) throws Exception {
        return get(path, headers -> {
        });
    }

    /**
     * @param path the path and query
     * @param headers adds request headers
     * @return the response to a GET
     * @throws Exception if the client fails
     */
    public ContentResponse get(String path, Consumer<HttpFields.Mutable> headers) throws Exception {
        return client.newRequest("http://127.0.0.1:" + port() + path).headers(headers)
                .timeout(30, TimeUnit.SECONDS).send();
    }

    /** @return the gateway server */
    public GatewayServer server() {
        return gateway;
    }

    /** @return the HTTP client the harness uses */
    public HttpClient client() {
        return client;
    }

    /**
     * Takes the one failure event the last request produced, and checks there was only one.
     *
     * @return the event
     * @throws InterruptedException if interrupted while waiting
     */
    public FailureEvent onlyEvent() throws InterruptedException {
        FailureEvent event = events.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("a failure event").isNotNull();
        assertThat(events).as("no second failure event").isEmpty();
        return event;
    }

    /** @return failure events not taken yet */
    public List<FailureEvent> pendingEvents() {
        return List.copyOf(events);
    }

    /** @return the access log lines so far */
    public List<String> accessLog() {
        return List.copyOf(accessLog);
    }

    /**
     * Parses a {@code Proxy-Status} field value as an RFC 8941 list, with an independent parser.
     *
     * @param response a response
     * @return the last member (this gateway's): its name and parameters, values as Java objects
     */
    public static Member lastProxyStatusMember(ContentResponse response) {
        String value = response.getHeaders().get("Proxy-Status");
        assertThat(value).as("Proxy-Status").isNotNull();
        OuterList list = Parser.parseList(value);
        ListElement<?> last = list.get().get(list.get().size() - 1);
        Map<String, Object> parameters = new LinkedHashMap<>();
        last.getParams().forEach((key, item) -> parameters.put(key, item.get()));
        return new Member(String.valueOf(last.get()), parameters, list.get().size());
    }

    /**
     * Reads what the error page printed: one {@code name=value} per line.
     *
     * @param response a response rendered by the error page
     * @return the values by attribute name
     */
    public static Map<String, String> errorPageAttributes(ContentResponse response) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : response.getContentAsString().split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                values.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return values;
    }

    @Override
    public void close() throws Exception {
        client.stop();
        gateway.stop();
    }

    /**
     * One member of a {@code Proxy-Status} list.
     *
     * @param name the member (the proxy's name)
     * @param parameters its parameters; tokens as {@code String}, integers as {@code Long}
     * @param listSize how many members the field held
     */
    public record Member(String name, Map<String, Object> parameters, int listSize) {
    }

    /** Builds a harness. */
    public static final class Builder {
        private final List<RouteConfig> routes = new java.util.ArrayList<>();
        private Consumer<GatewaySettings.Builder> settings = builder -> {
        };
        private SocketAddressResolver resolver;
        private Consumer<ServletContextHandler> context = handler -> {
        };
        private Duration clientIdleTimeout = Duration.ofSeconds(30);
        private ErrorPagesConfig errorPages = ErrorPagesConfig.defaults();
        private boolean attributesErrorPage = true;
        private java.time.Clock clock = java.time.Clock.systemUTC();

        /** @param clock times upstream ejections @return this builder */
        public Builder clock(java.time.Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Serves the gateway's own error pages instead of the test page that prints attributes.
         *
         * @param errorPages the error page settings
         * @return this builder
         */
        public Builder gatewayErrorPages(ErrorPagesConfig errorPages) {
            this.errorPages = errorPages;
            this.attributesErrorPage = false;
            return this;
        }

        /** @param timeout the gateway's idle timeout towards clients @return this builder */
        public Builder clientIdleTimeout(Duration timeout) {
            this.clientIdleTimeout = timeout;
            return this;
        }

        /** @param route a route @return this builder */
        public Builder route(RouteConfig route) {
            routes.add(route);
            return this;
        }

        /** @param settings adjusts the gateway settings @return this builder */
        public Builder settings(Consumer<GatewaySettings.Builder> settings) {
            this.settings = settings;
            return this;
        }

        /** @param resolver the upstream name resolver @return this builder */
        public Builder resolver(SocketAddressResolver resolver) {
            this.resolver = resolver;
            return this;
        }

        /** @param context adds servlets to the gateway's context @return this builder */
        public Builder context(Consumer<ServletContextHandler> context) {
            this.context = context;
            return this;
        }

        /** @return the started harness @throws Exception if it cannot start */
        public RunningGateway start() throws Exception {
            return new RunningGateway(this);
        }
    }

    /** A plain error page servlet, as an application's web.xml would map one: prints the attributes. */
    public static final class AttributesErrorPage extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private static final List<String> NAMES = List.of(FailureAttributes.TYPE, FailureAttributes.CAUSE,
                FailureAttributes.STATUS, FailureAttributes.PHASE, FailureAttributes.UPSTREAM, FailureAttributes.ROUTE,
                FailureAttributes.INCIDENT, FailureAttributes.ATTEMPTS, FailureAttributes.COMMITTED,
                "jakarta.servlet.error.status_code", "jakarta.servlet.error.message");

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=utf-8");
            PrintWriter out = response.getWriter();
            for (String name : NAMES) {
                Object value = request.getAttribute(name);
                if (value != null) {
                    out.print(name + "=" + value + "\n");
                }
            }
            out.print("record.reason=" + FailureAttributes.get(request).map(failure -> failure.reason()).orElse("none")
                    + "\n");
        }
    }
}
