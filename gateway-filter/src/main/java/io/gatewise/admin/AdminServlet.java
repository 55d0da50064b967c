package io.gatewise.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatewise.alert.Alert;
import io.gatewise.alert.DeliveryResult;
import io.gatewise.config.AdminConfig;
import io.gatewise.diagnose.Diagnoses;
import io.gatewise.diagnose.Diagnosis;
import io.gatewise.diagnose.DiagnosisReport;
import io.gatewise.diagnose.UnknownTargetException;
import io.gatewise.errorpage.PageLanguage;
import io.gatewise.failure.FailureEvent;
import io.gatewise.answer.UnreadBodies;
import io.gatewise.metrics.GatewayMetrics;
import io.gatewise.runtime.Gateway;
import io.gatewise.runtime.GatewayState;
import io.gatewise.route.Route;
import io.gatewise.upstream.Endpoint;
import jakarta.servlet.ServletException;
import jakarta.servlet.UnavailableException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener's endpoints, mapped at {@code /*} of the admin connector (or, in a WAR, at a
 * path the operator maps). {@code /livez} and {@code /readyz} are open, for probes; everything else
 * needs {@code Authorization: Bearer <admin.token>}, and without it gets {@code 401} and nothing
 * else. A method an endpoint does not take gets {@code 405} with {@code Allow}.
 *
 * <p>{@code GET /admin/diagnose?route=/api/} diagnoses the upstreams of a configured route (see
 * {@link io.gatewise.diagnose.Diagnoses}); hints follow {@code Accept-Language}.
 *
 * <p>Actions ({@code POST}) take a bearer token and a JSON body, and are refused when a browser says
 * another site sent them (see {@link ActionGuard}): no web page can drive them.
 *
 * <p>Each action ({@code POST}) is written to the audit log ({@value #AUDIT_LOGGER}): who (the
 * client address), what, and the result.
 *
 * <p>{@code GET /admin/alerts} lists the alerts that fire now ({@code {"alerts": [...]}}, each as
 * a webhook gets it); {@code POST /admin/alerts/test} sends a sample alert to each webhook and
 * answers each delivery's result.
 */
public final class AdminServlet extends HttpServlet {
    /** The logger of admin actions. */
    public static final String AUDIT_LOGGER = "io.gatewise.audit";

    private static final long serialVersionUID = 1L;
    private static final Logger AUDIT = LoggerFactory.getLogger(AUDIT_LOGGER);
    private static final int DEFAULT_FAILURES = 50;
    private static final Set<String> READ = Set.of("GET", "HEAD");
    private static final Set<String> ACT = Set.of("POST");
    private static final String FAILURES = "/admin/failures";

    private final transient Clock clock;
    private final transient Consumer<String> audit;
    private transient Gateway gateway;
    private transient AdminAuth auth;

    /** One endpoint: the methods it takes and what it does. */
    private record Operation(Set<String> methods, Handler handler) {
    }

    @FunctionalInterface
    private interface Handler {
        Answer handle(HttpServletRequest request) throws IOException;
    }

    /** What an endpoint answers. */
    record Answer(int status, String contentType, String body) {
        static Answer json(int status, String body) {
            return new Answer(status, "application/json", body);
        }
    }

    /**
     * For a WAR's {@code web.xml}: it serves the gateway the web application started
     * ({@code GatewayStartup}) with the token of its config's {@code admin} section; without that
     * section every admin endpoint answers {@code 404}, so one WAR serves with and without them.
     */
    public AdminServlet() {
        this.clock = Clock.systemUTC();
        this.audit = AUDIT::info;
    }

    /**
     * @param gateway the gateway it reports on and acts on
     * @param config the admin settings: the token
     */
    public AdminServlet(Gateway gateway, AdminConfig config) {
        this(gateway, config, Clock.systemUTC(), AUDIT::info);
    }

    /**
     * @param clock times the wrong-token limit
     * @param audit where the audit lines go
     */
    AdminServlet(Gateway gateway, AdminConfig config, Clock clock, Consumer<String> audit) {
        this.clock = clock;
        this.audit = audit;
        this.gateway = gateway;
        this.auth = new AdminAuth(config.token(), clock);
    }

    @Override
    public void init() throws ServletException {
        if (gateway != null) {
            return;
        }
        if (!(getServletContext().getAttribute(Gateway.CONTEXT_ATTRIBUTE) instanceof Gateway started)) {
            throw new UnavailableException("no gateway in this web application: list io.gatewise.runtime.GatewayStartup"
                    + " as a listener in web.xml");
        }
        gateway = started;
        auth = started.config().admin().map(admin -> new AdminAuth(admin.token(), clock)).orElse(null);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = path(request);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (auth == null) {
            send(request, response, Answer.json(404, AdminJson.error("the admin endpoints are off: the config has"
                    + " no admin section with a token")));
            return;
        }
        if (path.equals("/livez") || path.equals("/readyz")) {
            if (!READ.contains(request.getMethod())) {
                send(request, response, notAllowed(response, READ));
            } else {
                send(request, response, path.equals("/livez") ? new Answer(200, "text/plain", "live\n") : ready());
            }
            return;
        }
        AdminAuth.Verdict verdict = auth.check(request.getHeader("Authorization"), request.getRemoteAddr());
        if (verdict instanceof AdminAuth.Verdict.Limited limited) {
            response.setHeader("Retry-After", Long.toString(Math.max(1, limited.retryAfter().toSeconds())));
            send(request, response, new Answer(429, "text/plain", ""));
            return;
        }
        if (verdict instanceof AdminAuth.Verdict.Refused) {
            // Browsers answer the Basic challenge with a prompt: the token as the password opens the status page.
            response.setHeader("WWW-Authenticate", "Bearer realm=\"gatewise-admin\"");
            response.addHeader("WWW-Authenticate", "Basic realm=\"gatewise-admin\", charset=\"UTF-8\"");
            send(request, response, new Answer(401, "text/plain", ""));
            return;
        }
        Operation endpoint = endpoint(path);
        if (endpoint == null) {
            send(request, response, Answer.json(404, AdminJson.error("no admin endpoint " + path)));
        } else if (!endpoint.methods().contains(request.getMethod())) {
            send(request, response, notAllowed(response, endpoint.methods()));
        } else if (endpoint.methods() == ACT) {
            Optional<ActionGuard.Refusal> refusal = ActionGuard.check(request,
                    ((AdminAuth.Verdict.Allowed) verdict).bearer());
            if (refusal.isPresent()) {
                refuse(request, response, path, refusal.get());
            } else {
                send(request, response, endpoint.handler().handle(request));
            }
        } else {
            send(request, response, endpoint.handler().handle(request));
        }
    }

    private Operation endpoint(String path) {
        return switch (path) {
            case "/metrics" -> new Operation(READ, this::metrics);
            case "/admin/upstreams" -> new Operation(READ, request -> Answer.json(200,
                    AdminJson.routes(gateway.routes().routes())));
            case FAILURES -> new Operation(READ, this::failures);
            case "/admin/status" -> new Operation(READ, request -> new Answer(200, "text/html;charset=utf-8",
                    StatusPage.render(gateway, request.getContextPath() + request.getServletPath())));
            case "/admin/diagnose" -> new Operation(READ, this::diagnose);
            case "/admin/maintenance" -> new Operation(ACT, this::maintenance);
            case "/admin/drain" -> new Operation(ACT, this::drain);
            case "/admin/dns/flush" -> new Operation(ACT, this::flushDns);
            case "/admin/config/reload" -> new Operation(ACT, this::reload);
            case "/admin/alerts" -> new Operation(READ, request -> Answer.json(200, AdminJson.write(Map.of("alerts",
                    gateway.alerts().firing().stream().map(Alert::toJson).toList()))));
            case "/admin/alerts/test" -> new Operation(ACT, this::testAlert);
            default -> path.startsWith(FAILURES + "/") ? new Operation(READ, request -> failure(
                    path.substring(FAILURES.length() + 1))) : null;
        };
    }

    /** Answers an action the {@link ActionGuard} refused, and writes it to the audit log. */
    private void refuse(HttpServletRequest request, HttpServletResponse response, String path,
            ActionGuard.Refusal refusal) throws IOException {
        if (refusal.status() == 401) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"gatewise-admin\"");
        } else if (refusal.status() == 415) {
            response.setHeader("Accept-Post", "application/json");
        }
        audit.accept("admin action=" + path.substring("/admin/".length()).replace('/', '_') + " client="
                + request.getRemoteAddr() + " result=refused " + refusal.error());
        send(request, response, Answer.json(refusal.status(), AdminJson.write(Map.of("result", "failure", "error",
                refusal.error()))));
    }

    private Answer ready() {
        GatewayState state = gateway.state();
        return state == GatewayState.READY ? new Answer(200, "text/plain", "ready\n")
                : new Answer(503, "text/plain", state.name().toLowerCase(Locale.ROOT) + "\n");
    }

    private Answer metrics(HttpServletRequest request) {
        return gateway.metrics().scrape(request.getHeader("Accept"))
                .map(scrape -> new Answer(200, scrape.contentType(), scrape.text()))
                .orElseGet(() -> Answer.json(404, AdminJson.error(gateway.metrics().enabled()
                        ? "the gateway's meters go to the application's own registry, not to a Prometheus one"
                        : "metrics are off (gateway.metrics: false)")));
    }

    private Answer failures(HttpServletRequest request) {
        int capacity = gateway.recentFailures().capacity();
        String limit = request.getParameter("limit");
        int count;
        try {
            count = limit == null ? Math.min(DEFAULT_FAILURES, capacity) : Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            count = -1;
        }
        if (count < 1 || count > capacity) {
            return Answer.json(400, AdminJson.error("limit must be 1 to " + capacity));
        }
        return Answer.json(200, AdminJson.write(Map.of("failures", gateway.recentFailures().latest(count).stream()
                .map(AdminJson::failure).toList())));
    }

    private Answer failure(String incident) {
        Optional<FailureEvent> found = gateway.recentFailures().find(incident);
        return found.map(event -> Answer.json(200, AdminJson.write(AdminJson.failureRecord(event))))
                .orElseGet(() -> Answer.json(404, AdminJson.error("no recent failure with incident "
                        + (incident.matches("[0-9A-Za-z]{1,32}") ? incident : "(not an incident id)"))));
    }

    /**
     * Diagnoses the upstreams of one configured route ({@code route}, optionally one {@code upstream}
     * of it, optionally {@code flush=true} to forget its cached DNS answer first), at most once per
     * interval per upstream. Only configured routes: a URL or an unknown route is refused, so the
     * admin API never sends a probe where an operator did not configure an upstream.
     */
    private Answer diagnose(HttpServletRequest request) {
        String route = request.getParameter("route");
        if (route == null || route.isBlank()) {
            return Answer.json(400, AdminJson.error("route is required: the path of a configured route, such as /api/"));
        }
        if (!route.startsWith("/")) {
            return Answer.json(400, AdminJson.error("route must be the path of a configured route, such as /api/;"
                    + " the admin API diagnoses configured upstreams only, never a URL (the command line"
                    + " --diagnose URL does that, on the gateway's host)"));
        }
        String flush = request.getParameter("flush");
        if (flush != null && !flush.equals("true") && !flush.equals("false")) {
            return Answer.json(400, AdminJson.error("flush must be true or false"));
        }
        Optional<String> upstream = Optional.ofNullable(request.getParameter("upstream"));
        boolean flushDns = "true".equals(flush);
        List<Diagnoses.Run> runs;
        try {
            runs = gateway.diagnoses().diagnose(route, upstream, flushDns);
        } catch (UnknownTargetException e) {
            return Answer.json(404, AdminJson.error(printable(e.getMessage())));
        } catch (RejectedExecutionException e) {
            return Answer.json(503, AdminJson.error("too many diagnoses are waiting; try again in a few seconds"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.json(503, AdminJson.error("interrupted while diagnosing"));
        }
        if (flushDns) {
            audit.accept("admin action=diagnose_dns_flush client=" + request.getRemoteAddr() + " result=success route="
                    + printable(route));
        }
        Set<Diagnosis> cached = Collections.newSetFromMap(new IdentityHashMap<>());
        runs.stream().filter(Diagnoses.Run::cached).forEach(run -> cached.add(run.diagnosis()));
        return Answer.json(200, AdminJson.write(DiagnosisReport.json(route, runs.stream().map(Diagnoses.Run::diagnosis)
                .toList(), PageLanguage.choose(request.getHeader("Accept-Language")), cached::contains)));
    }

    private Answer maintenance(HttpServletRequest request) throws IOException {
        return act(request, "maintenance", body -> {
            Route route = route(body);
            boolean enabled = ActionBodies.flag(body, "enabled");
            route.maintenance(enabled);
            return ordered("route", route.config().path(), "maintenance", enabled);
        });
    }

    private Answer drain(HttpServletRequest request) throws IOException {
        return act(request, "drain", body -> {
            Route route = route(body);
            String url = ActionBodies.text(body, "upstream");
            Endpoint upstream = route.pool().endpoints().stream()
                    .filter(candidate -> candidate.config().url().toString().equals(url)).findFirst()
                    .orElseThrow(() -> new NotFound("route " + route.config().path() + " has no upstream " + url
                            + " (expected one of: " + route.pool().endpoints().stream()
                                    .map(candidate -> candidate.config().url().toString()).toList() + ")"));
            boolean enabled = ActionBodies.flag(body, "enabled");
            upstream.drain(enabled);
            return ordered("route", route.config().path(), "upstream", url, "draining", enabled);
        });
    }

    private Answer flushDns(HttpServletRequest request) throws IOException {
        return act(request, "dns_flush", body -> {
            JsonNode host = body.get("host");
            Map<String, Object> result = new LinkedHashMap<>();
            if (host == null || host.isNull()) {
                int names = gateway.dnsCache().cachedNames().size();
                gateway.dnsCache().flush();
                result.put("flushed", names);
            } else if (host.isTextual()) {
                result.put("host", host.asText());
                result.put("flushed", gateway.dnsCache().flush(host.asText()) ? 1 : 0);
            } else {
                throw new IllegalArgumentException("host must be a string");
            }
            return result;
        });
    }

    private Answer reload(HttpServletRequest request) throws IOException {
        return act(request, "config_reload", body -> AdminJson.reload(gateway.reloadFromSource()));
    }

    private Answer testAlert(HttpServletRequest request) throws IOException {
        return act(request, "alerts_test", body -> {
            List<DeliveryResult> results = gateway.alerts().sendTest();
            if (results.isEmpty()) {
                return ordered("result", "failure", "error", "no webhook to test (expected: alerts.webhooks in the"
                        + " configuration)");
            }
            List<Map<String, Object>> deliveries = results.stream().map(AdminJson::delivery).toList();
            long failed = results.stream().filter(result -> !result.success()).count();
            return failed == 0 ? ordered("deliveries", deliveries)
                    : ordered("result", "failure", "error", failed + " of " + results.size() + " webhook(s) failed",
                            "deliveries", deliveries);
        });
    }

    /** An action: reads the body, acts, answers {@code {"result": "success", ...}}, writes the audit line. */
    private Answer act(HttpServletRequest request, String action, Action todo) throws IOException {
        String client = request.getRemoteAddr();
        Answer answer;
        String outcome;
        try {
            JsonNode body = AdminJson.readObject(ActionBodies.read(request));
            Map<String, Object> result = new LinkedHashMap<>(todo.run(body));
            boolean failed = "failure".equals(result.get("result"));
            result.putIfAbsent("result", "success");
            answer = Answer.json(failed ? 422 : 200, AdminJson.write(result));
            outcome = failed ? "failure " + result.get("error") : "success " + without(result, "result");
        } catch (NotFound e) {
            answer = Answer.json(404, AdminJson.write(Map.of("result", "failure", "error", e.getMessage())));
            outcome = "not_found " + e.getMessage();
        } catch (IllegalArgumentException e) {
            answer = Answer.json(400, AdminJson.write(Map.of("result", "failure", "error", e.getMessage())));
            outcome = "rejected " + e.getMessage();
        }
        audit.accept("admin action=" + action + " client=" + client + " result=" + printable(outcome));
        return answer;
    }

    @FunctionalInterface
    private interface Action {
        Map<String, Object> run(JsonNode body);
    }

    /** A route or upstream the action names does not exist. */
    private static final class NotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFound(String message) {
            super(message, null, false, false);
        }
    }

    private Route route(JsonNode body) {
        String path = ActionBodies.text(body, "route");
        return gateway.route(path).orElseThrow(() -> new NotFound("no route " + path + " (expected one of: "
                + gateway.routes().routes().stream().map(route -> route.config().path()).toList() + ")"));
    }

    /** @return the keys and values in the order given, as the answer and the audit line show them */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** What a client sent may end up in the audit line: one line, bounded, nothing to forge another with. */
    static String printable(String text) {
        String line = text.replaceAll("\\p{Cntrl}", "?");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private static Map<String, Object> without(Map<String, Object> result, String key) {
        Map<String, Object> copy = new LinkedHashMap<>(result);
        copy.remove(key);
        return copy;
    }

    private static Answer notAllowed(HttpServletResponse response, Set<String> methods) {
        String allow = String.join(", ", methods.stream().sorted().toList());
        response.setHeader("Allow", allow);
        return Answer.json(405, AdminJson.error("method not allowed here (allowed: " + allow + ")"));
    }

    /** @return the path below the servlet's mapping, such as {@code /admin/upstreams} */
    private static String path(HttpServletRequest request) {
        String info = request.getPathInfo();
        return info == null || info.isEmpty() ? "/" : info;
    }

    private static void send(HttpServletRequest request, HttpServletResponse response, Answer answer)
            throws IOException {
        // A refusal comes before the body is read: the client's next request must not be lost with it.
        UnreadBodies.settle(request, response);
        response.setStatus(answer.status());
        response.setContentType(answer.contentType());
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(body);
        }
    }
}
