package io.gatewise.errorpage;

import io.gatewise.failure.UpstreamFailure;
import io.gatewise.filter.FailureAttributes;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The gateway's error page, for the container's error dispatch: map it as the web application's
 * {@code <error-page>} and it renders every error, with the failure record when there is one, in
 * the format and language the client asked for. Requested directly, it answers 404.
 */
public class ErrorPageServlet extends HttpServlet {
    /** Where the gateway maps it. */
    public static final String PATH = "/__gatewise/error";

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getDispatcherType() != DispatcherType.ERROR) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        ErrorPages pages = ErrorPages.of(getServletContext());
        UpstreamFailure failure = FailureAttributes.get(request).orElse(null);
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer ? (Integer) code : response.getStatus();
        Object upstreamStatus = request.getAttribute(FailureAttributes.UPSTREAM_STATUS);
        PageRequest page = new PageRequest(failure, status, ContentNegotiation.choose(request.getHeader("Accept")),
                PageLanguage.choose(request.getHeader("Accept-Language")), pages.access().isOperator(request),
                upstreamStatus instanceof Integer ? (Integer) upstreamStatus : null,
                seconds(response.getHeader("Retry-After")));
        Object route = request.getAttribute(FailureAttributes.ROUTE);
        RenderedPage rendered = pages.rendererFor(route instanceof String ? (String) route : null).render(page);
        response.setStatus(status);
        response.setContentType(rendered.contentType());
        response.setHeader("Content-Language", rendered.language());
        response.setHeader("Vary", "Accept, Accept-Language");
        response.setHeader("Cache-Control", "no-store");
        if (status == HttpServletResponse.SC_SERVICE_UNAVAILABLE && !response.containsHeader("Retry-After")) {
            response.setHeader("Retry-After", Long.toString(pages.renderer().retryAfterSeconds()));
        }
        byte[] body = rendered.bytes();
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** @return the seconds of a {@code Retry-After} given in seconds; null for none or an HTTP date */
    private static Long seconds(String retryAfter) {
        if (retryAfter == null || !retryAfter.trim().matches("\\d{1,9}")) {
            return null;
        }
        return Long.parseLong(retryAfter.trim());
    }
}
