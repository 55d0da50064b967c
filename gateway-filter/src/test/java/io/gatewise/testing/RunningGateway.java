package io.gatewise.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatewise.alert.CertificateExpirySource;
import io.gatewise.answer.FailureAttributes;
import io.gatewise.config.AdminConfig;
import io.gatewise.config.AlertsConfig;
import io.gatewise.config.ConfigSource;
import io.gatewise.config.ConfigWatcher;
import io.gatewise.config.ErrorPagesConfig;
import io.gatewise.config.GatewayConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.config.ServerConfig;
import io.gatewise.config.TracingConfig;
import io.gatewise.exchange.ExchangeTrace;
import io.gatewise.failure.FailureEvent;
import io.gatewise.runtime.Gateway;
import io.gatewise.server.GatewayServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.greenbytes.http.sfv.ListElement;
import org.greenbytes.http.sfv.OuterList;
import org.greenbytes.http.sfv.Parser;

/**
 * A real gateway on a free port of 127.0.0.1, started by {@link GatewayExtension}, which also
 * stops it. It records every failure event and access log line, and has an HTTP client of its own
 * that follows no redirects. Unless the test asks for the gateway's own error pages, a plain
 * {@code <error-page>} servlet answers failures by printing the failure request attributes, as a
 * web.xml error page would see them; with {@code -Dgatewise.test.errorPages=gateway} (the build's
 * second run of the proxy tests) the gateway answers with its own pages instead, as it does by
 * default, and {@link #failureAttributes} reads the attributes as a filter saw them when the
 * request completed.
 */
public final class RunningGateway {
    /** The gateway's name in {@code Via} and {@code Proxy-Status}. */
    public static final String NAME = "edge-test";
    /** The system property that makes the gateway answer with its own pages in every test that names none. */
    public static final String ERROR_PAGES_PROPERTY = "gatewise.test.errorPages";
    /** Numbers each request of the test's client, so that its attributes can be found. */
    private static final String TEST_REQUEST_HEADER = "X-Test-Request";
    private static final AtomicLong REQUESTS = new AtomicLong();
    /** Where the error page servlet is mapped. */
    public static final String ERROR_PAGE = "/__error-page";

    private static final long REQUEST_TIMEOUT_SECONDS = 30;

    private final BlockingQueue<FailureEvent> events = new LinkedBlockingQueue<>();
    private final List<String> accessLog = new CopyOnWriteArrayList<>();
    private final GatewayServer server;
    private final HttpClient client = new HttpClient();
    private final Map<String, Map<String, String>> endedRequests = new ConcurrentHashMap<>();
    private final boolean attributesPage;

    private RunningGateway(Builder builder) throws Exception {
        ServerConfig.Builder gatewaySettings = ServerConfig.builder().name(NAME).host("127.0.0.1").port(0);
        builder.settings.accept(gatewaySettings);
        // The attributes page is a web.xml <error-page>: it needs the container's error dispatch.
        boolean gatewayPages = "gateway".equals(System.getProperty(ERROR_PAGES_PROPERTY));
        boolean attributesPage = builder.errorPages == null && !gatewayPages;
        ErrorPagesConfig errorPages = builder.errorPages != null ? builder.errorPages
                : attributesPage ? ErrorPagesConfig.builder().dispatch(ErrorPagesConfig.Dispatch.CONTAINER).build()
                : ErrorPagesConfig.builder().build();
        GatewayConfig config;
        ConfigSource source = null;
        if (builder.configFile != null) {
            source = ConfigSource.file(builder.configFile);
            config = source.load().config();
            attributesPage = config.errorPages().dispatch() == ErrorPagesConfig.Dispatch.CONTAINER;
        } else {
            GatewayConfig.Builder configBuilder = GatewayConfig.builder().gateway(gatewaySettings.build())
                    .routes(builder.routes).errorPages(errorPages);
            if (builder.admin != null) {
                configBuilder.admin(builder.admin);
            }
            if (builder.alerts != null) {
                configBuilder.alerts(builder.alerts);
            }
            if (builder.tracing != null) {
                configBuilder.tracing(builder.tracing);
            }
            config = configBuilder.build();
        }
        Consumer<ServletContextHandler> context = builder.context;
        boolean withAttributesPage = attributesPage;
        this.attributesPage = attributesPage;
        Gateway gateway = Gateway.builder(config)
                .configSource(source)
                .configWatchQuietPeriod(builder.watchQuietPeriod)
                .resolver(builder.resolver)
                .listener(events::add)
                .clock(builder.clock)
                .meterRegistry(builder.meterRegistry)
                .openTelemetry(builder.openTelemetry)
                .certificateExpiry(builder.certificateExpiry)
                .build();
        server = GatewayServer.builder(gateway)
                .accessLog(accessLog::add)
                .clientIdleTimeout(builder.clientIdleTimeout)
                .customizeContext(handler -> {
                    handler.addFilter(new FilterHolder(new AttributesAtTheEnd(endedRequests)), "/*",
                            EnumSet.of(DispatcherType.REQUEST));
                    if (withAttributesPage) {
                        ErrorPageErrorHandler errorHandler = (ErrorPageErrorHandler) handler.getErrorHandler();
                        errorHandler.addErrorPage(400, 599, ERROR_PAGE);
                        handler.addServlet(AttributesErrorPage.class, ERROR_PAGE);
                    }
                    context.accept(handler);
                })
                .build();
        client.setFollowRedirects(false);
        try {
            server.start();
            client.start();
        } catch (Exception e) {
            stop();
            throw e;
        }
    }

    /** @return the admin listener's base URL, such as {@code http://127.0.0.1:40123}, with no final slash */
    public String adminUrl() {
        return "http://127.0.0.1:" + server.adminPort().orElseThrow(() -> new IllegalStateException("no admin listener"));
    }

    /** @return the gateway's port */
    public int port() {
        return server.port();
    }

    /**
     * @param pathAndQuery the path and query, such as {@code /api/users?x=1}
     * @return the URL of that path on the gateway
     */
    public String url(String pathAndQuery) {
        return "http://127.0.0.1:" + port() + pathAndQuery;
    }

    /**
     * @param pathAndQuery the path and query
     * @return a GET to the gateway, not sent yet, which gives up after 30 s; set method, headers
     *     and body as needed
     */
    public Request request(String pathAndQuery) {
        String number = Long.toString(REQUESTS.incrementAndGet());
        return client.newRequest(url(pathAndQuery)).timeout(REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .headers(headers -> headers.put(TEST_REQUEST_HEADER, number));
    }

    /**
     * @param pathAndQuery the path and query
     * @return the response to a GET
     * @throws Exception if the client fails
     */
    public ContentResponse get(String pathAndQuery) throws Exception {
        return request(pathAndQuery).send();
    }

    /**
     * @param pathAndQuery the path and query
     * @param headers adds request headers
     * @return the response to a GET
     * @throws Exception if the client fails
     */
    public ContentResponse get(String pathAndQuery, Consumer<HttpFields.Mutable> headers) throws Exception {
        return request(pathAndQuery).headers(headers).send();
    }

    /** @return the gateway server: its {@code gateway()} shows the routes and their upstreams */
    public GatewayServer server() {
        return server;
    }

    /** @return the HTTP client {@link #get} uses */
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

    /** @return whether failures are answered by the container's error dispatch to the attributes page */
    public boolean answersWithTheAttributesPage() {
        return attributesPage;
    }

    /**
     * The failure request attributes of the request a response answers: what the attributes page
     * printed, or, when the gateway answered with its own page, what a filter saw as the request
     * completed (without the container's {@code jakarta.servlet.error.*}, which only an error
     * dispatch has).
     *
     * @param response a response to a request made with {@link #request} or {@link #get}
     * @return the values by attribute name, and {@code record.reason}
     * @throws InterruptedException if interrupted while waiting for the request to end
     */
    public Map<String, String> failureAttributes(ContentResponse response) throws InterruptedException {
        if (attributesPage) {
            return errorPageAttributes(response);
        }
        String number = response.getRequest().getHeaders().get(TEST_REQUEST_HEADER);
        assertThat(number).as("a request made with request() or get()").isNotNull();
        // The client may see the response a moment before the request ends on the server.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(REQUEST_TIMEOUT_SECONDS);
        Map<String, String> attributes;
        while ((attributes = endedRequests.get(number)) == null && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(attributes).as("request " + number + " ended on the server").isNotNull();
        return attributes;
    }

    /**
     * Reads what the attributes error page printed: one {@code name=value} per line.
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

    /** Stops the client, then the gateway; the extension calls it after the test. */
    void stop() throws Exception {
        try {
            client.stop();
        } finally {
            server.stop();
        }
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

    /**
     * What the gateway runs with; {@link #start()} starts it. Made by {@link GatewayExtension#builder()}.
     */
    public static final class Builder {
        private final GatewayExtension owner;
        private final List<RouteConfig> routes = new ArrayList<>();
        private Consumer<ServerConfig.Builder> settings;
        private SocketAddressResolver resolver;
        private Consumer<ServletContextHandler> context = handler -> {
        };
        private Duration clientIdleTimeout = Duration.ofSeconds(30);
        private ErrorPagesConfig errorPages;
        private Clock clock = Clock.systemUTC();
        private AdminConfig admin;
        private AlertsConfig alerts;
        private CertificateExpirySource certificateExpiry = CertificateExpirySource.NONE;
        private Path configFile;
        private Duration watchQuietPeriod = ConfigWatcher.DEFAULT_QUIET_PERIOD;
        private MeterRegistry meterRegistry;
        private TracingConfig tracing;
        private OpenTelemetry openTelemetry;

        Builder(GatewayExtension owner) {
            this.owner = owner;
            this.settings = owner.settings();
        }

        /** @param route a route; routes match in the gateway's usual way @return this builder */
        public Builder route(RouteConfig route) {
            routes.add(route);
            return this;
        }

        /**
         * @param settings adjusts the gateway settings; name, host and port come preset, then the
         *     extension's {@link GatewayExtension#settings}
         * @return this builder
         */
        public Builder settings(Consumer<ServerConfig.Builder> settings) {
            this.settings = this.settings.andThen(settings);
            return this;
        }

        /** @param resolver the upstream name resolver @return this builder */
        public Builder resolver(SocketAddressResolver resolver) {
            this.resolver = resolver;
            return this;
        }

        /** @param admin the admin listener's settings; its port 0 picks a free one @return this builder */
        public Builder admin(AdminConfig admin) {
            this.admin = admin;
            return this;
        }

        /** @param alerts the alert rules and webhooks @return this builder */
        public Builder alerts(AlertsConfig alerts) {
            this.alerts = alerts;
            return this;
        }

        /** @param source when upstream certificates end, for the alert rules @return this builder */
        public Builder certificateExpiry(CertificateExpirySource source) {
            this.certificateExpiry = source;
            return this;
        }

        /** @param clock times ejections, circuits and DNS answers; a {@link TestClock} @return this builder */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Reads the gateway's configuration from a file, which is also its source for reloads;
         * the builder's routes and settings are not used then. The file names its own host and
         * port (127.0.0.1 and 0 in tests).
         *
         * @param file a YAML config file
         * @return this builder
         */
        public Builder configFile(Path file) {
            this.configFile = file;
            return this;
        }

        /** @param quietPeriod how long the watched config folder must be quiet @return this builder */
        public Builder watchQuietPeriod(Duration quietPeriod) {
            this.watchQuietPeriod = quietPeriod;
            return this;
        }

        /** @param registry the application's registry for the gateway's meters; null for its own @return this builder */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /** @param tracing the gateway's tracing section (default off) @return this builder */
        public Builder tracing(TracingConfig tracing) {
            this.tracing = tracing;
            return this;
        }

        /** @param openTelemetry the application's OpenTelemetry for the gateway's spans; null for its own @return this builder */
        public Builder openTelemetry(OpenTelemetry openTelemetry) {
            this.openTelemetry = openTelemetry;
            return this;
        }

        /** @param timeout the gateway's idle timeout towards clients (default 30 s) @return this builder */
        public Builder clientIdleTimeout(Duration timeout) {
            this.clientIdleTimeout = timeout;
            return this;
        }

        /**
         * Serves the gateway's own error pages, as configured, instead of the page that prints the
         * failure attributes.
         *
         * @param errorPages the error page settings
         * @return this builder
         */
        public Builder gatewayErrorPages(ErrorPagesConfig errorPages) {
            this.errorPages = errorPages;
            return this;
        }

        /**
         * Serves the gateway's own error pages with their defaults, as a plain deployment does.
         *
         * @return this builder
         */
        public Builder gatewayErrorPages() {
            return gatewayErrorPages(ErrorPagesConfig.defaults());
        }

        /** @param context adds servlets or filters to the gateway's context @return this builder */
        public Builder context(Consumer<ServletContextHandler> context) {
            this.context = context;
            return this;
        }

        /**
         * Starts the gateway; the extension stops it after the test.
         *
         * @return the running gateway
         * @throws Exception if it cannot start
         */
        public RunningGateway start() throws Exception {
            return owner.closeAfterwards(new RunningGateway(this), RunningGateway::stop);
        }
    }

    /** A plain error page servlet, as an application's web.xml would map one: prints the attributes. */
    /**
     * Keeps the failure attributes of each numbered request as it ends: when its response is
     * complete, which for a proxied request is after the servlet's dispatch has returned (a
     * {@code ServletRequestListener} is told at the end of the dispatch, too early for that).
     */
    private static final class AttributesAtTheEnd implements Filter {
        private final Map<String, Map<String, String>> ended;

        AttributesAtTheEnd(Map<String, Map<String, String>> ended) {
            this.ended = ended;
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            try {
                chain.doFilter(request, response);
            } finally {
                HttpServletRequest httpRequest = (HttpServletRequest) request;
                String number = httpRequest.getHeader(TEST_REQUEST_HEADER);
                if (number != null && request.isAsyncStarted()) {
                    request.getAsyncContext().addListener(new AsyncListener() {
                        @Override
                        public void onComplete(AsyncEvent event) {
                            keep(number, httpRequest);
                        }

                        @Override
                        public void onTimeout(AsyncEvent event) {
                        }

                        @Override
                        public void onError(AsyncEvent event) {
                        }

                        @Override
                        public void onStartAsync(AsyncEvent event) {
                        }
                    });
                } else if (number != null) {
                    keep(number, httpRequest);
                }
            }
        }

        private void keep(String number, HttpServletRequest request) {
            Map<String, String> attributes = new LinkedHashMap<>();
            for (String name : AttributesErrorPage.NAMES) {
                Object value = request.getAttribute(name);
                if (value != null) {
                    attributes.put(name, String.valueOf(value));
                }
            }
            attributes.put("record.reason", AttributesErrorPage.reason(request));
            ended.put(number, attributes);
        }
    }

    public static final class AttributesErrorPage extends HttpServlet {
        private static final long serialVersionUID = 1L;
        static final List<String> NAMES = List.of(FailureAttributes.TYPE, FailureAttributes.CAUSE,
                FailureAttributes.STATUS, FailureAttributes.PHASE, FailureAttributes.UPSTREAM, FailureAttributes.ROUTE,
                FailureAttributes.INCIDENT, FailureAttributes.ATTEMPTS, FailureAttributes.COMMITTED,
                ExchangeTrace.TRACE_ID_ATTRIBUTE, "jakarta.servlet.error.status_code", "jakarta.servlet.error.message");

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
            out.print("record.reason=" + reason(request) + "\n");
        }

        static String reason(HttpServletRequest request) {
            return FailureAttributes.get(request).map(failure -> failure.reason()).orElse("none");
        }
    }
}
