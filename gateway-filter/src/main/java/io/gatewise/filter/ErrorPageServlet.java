package io.gatewise.filter;

import io.gatewise.answer.FailureRecorder;
import io.gatewise.answer.FailureResponses;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The gateway's error page, for the container's error dispatch: map it as the web application's
 * {@code <error-page>} and it renders every error, with the failure record when there is one, in
 * the format and language the client asked for, through the web application's
 * {@link FailureResponses}. Requested directly, it answers 404.
 *
 * <p>The gateway writes its own failures' pages unless {@code errorPages.dispatch} is
 * {@code container}; this servlet still renders the container's own errors (a request it could
 * not parse, a path no servlet serves).
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
        FailureRecorder.of(getServletContext()).responses().sendDispatched(request, response);
    }
}
