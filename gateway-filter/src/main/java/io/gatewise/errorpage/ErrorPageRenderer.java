package io.gatewise.errorpage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.samskivert.mustache.Template;
import io.gatewise.config.ErrorPagesConfig;
import io.gatewise.failure.UpstreamFailure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders error pages: HTML and text through Mustache templates (an operator's, else the
 * built-in), problem+json (RFC 9457) through Jackson. A template that fails at run time falls back
 * to the built-in page: a failure never turns into a blank page or a second error.
 *
 * <p>Thread-safe; texts and templates are loaded once.
 */
public final class ErrorPageRenderer {
    /** Where each error type is defined: the IANA registry of RFC 9209 proxy error types. */
    static final String TYPE_BASE = "https://www.iana.org/assignments/http-proxy-status#";

    private static final Logger LOG = LoggerFactory.getLogger(ErrorPageRenderer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TemplateStore templates;
    private final Map<Locale, PageTexts> texts = new LinkedHashMap<>();
    private final String contact;
    private final long retryAfterSeconds;

    private final List<Path> folders;

    private ErrorPageRenderer(ErrorPagesConfig config, List<Path> folders, TemplateStore templates) {
        this.folders = List.copyOf(folders);
        this.templates = templates;
        this.texts.put(PageLanguage.ENGLISH, PageTexts.load(PageLanguage.ENGLISH, folders));
        this.texts.put(PageLanguage.CHINESE, PageTexts.load(PageLanguage.CHINESE, folders));
        this.contact = config.contact().orElse(null);
        this.retryAfterSeconds = config.retryAfter().toSeconds();
        this.config = config;
    }

    private final ErrorPagesConfig config;

    /**
     * @param config the error page settings
     * @return the renderer
     * @throws IllegalStateException naming the file, if an operator's template or text file is broken
     */
    public static ErrorPageRenderer create(ErrorPagesConfig config) {
        Path folder = config.templates().orElse(null);
        return new ErrorPageRenderer(config, folder == null ? List.of() : List.of(folder), TemplateStore.load(folder));
    }

    /**
     * A renderer for one route: its folder is searched first, then this renderer's.
     *
     * @param routeFolder the route's templates folder
     * @return the route's renderer
     * @throws IllegalStateException naming the file, if a template in the folder is broken
     */
    public ErrorPageRenderer forRoute(Path routeFolder) {
        List<Path> all = new ArrayList<>(folders);
        all.add(routeFolder);
        return new ErrorPageRenderer(config, all, TemplateStore.load(routeFolder, templates));
    }

    /** @return the seconds sent in {@code Retry-After} with a 503 */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /**
     * @param request what to render
     * @return the page
     */
    public RenderedPage render(PageRequest request) {
        PageTexts pageTexts = texts.get(PageLanguage.CHINESE.equals(request.locale()) ? PageLanguage.CHINESE
                : PageLanguage.ENGLISH);
        String language = PageLanguage.tag(request.locale());
        boolean text = request.format() == PageFormat.TEXT;
        long retry = request.retryAfterSeconds() != null ? request.retryAfterSeconds() : retryAfterSeconds;
        Map<String, Object> model = PageModel.of(request, pageTexts, contact, retry, text);
        if (request.format() == PageFormat.PROBLEM_JSON) {
            return new RenderedPage(PageFormat.PROBLEM_JSON.contentType(), language, problem(request, model, retry));
        }
        Template template = templates.find(request.format(), candidates(request, language));
        try {
            return new RenderedPage(request.format().contentType(), language, template.execute(model));
        } catch (RuntimeException e) {
            LOG.warn("Error page template failed for incident {}; using the built-in page", model.get("incident"), e);
            return new RenderedPage(request.format().contentType(), language,
                    templates.builtIn(request.format()).execute(model));
        }
    }

    /** Template names, most specific first: type, status, cause, default; each with the language first. */
    private static List<String> candidates(PageRequest request, String language) {
        List<String> names = new ArrayList<>(8);
        UpstreamFailure failure = request.failure();
        if (failure != null) {
            names.add(failure.type().token() + "." + language);
            names.add(failure.type().token());
        }
        names.add(request.status() + "." + language);
        names.add(Integer.toString(request.status()));
        String cause = failure != null ? failure.cause().token()
                : request.upstreamStatus() != null ? PageModel.UPSTREAM_ERROR : null;
        if (cause != null) {
            names.add(cause + "." + language);
            names.add(cause);
        }
        names.add("default." + language);
        names.add("default");
        return names;
    }

    private static String problem(PageRequest request, Map<String, Object> model, long retryAfter) {
        UpstreamFailure failure = request.failure();
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", failure == null ? "about:blank" : TYPE_BASE + failure.type().token());
        problem.put("title", model.get("title"));
        problem.put("status", request.status());
        problem.put("detail", model.get("what"));
        if (request.upstreamStatus() != null) {
            problem.put("received_status", request.upstreamStatus());
        }
        if (failure != null) {
            problem.put("instance", "urn:gatewise:incident:" + failure.incident());
            problem.put("proxy_error", failure.type().token());
            problem.put("cause", failure.cause().token());
            problem.put("incident", failure.incident());
            failure.traceId().ifPresent(traceId -> problem.put("trace_id", traceId));
            problem.put("time", model.get("time"));
        }
        if (request.status() == 503) {
            problem.put("retry_after", retryAfter);
        }
        Object operator = model.get("operator");
        if (operator instanceof Map) {
            problem.put("operator", operator);
        }
        try {
            return JSON.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("problem details cannot be written", e);
        }
    }
}
