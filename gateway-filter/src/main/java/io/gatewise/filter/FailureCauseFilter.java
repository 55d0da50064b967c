package io.gatewise.filter;

import io.gatewise.answer.FailureAttributes;
import io.gatewise.answer.FailureRecorder;
import io.gatewise.answer.FailureResponses;
import io.gatewise.failure.Classification;
import io.gatewise.failure.FailureClassifier;
import io.gatewise.failure.IncidentIds;
import io.gatewise.failure.OperatorDetail;
import io.gatewise.failure.UpstreamFailure;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * Records why a request failed when the failure is an upstream's, for every servlet of the web
 * application: the gateway's proxy records its own failures through the same
 * {@link FailureRecorder}; this filter catches what other servlets throw. A servlet whose database
 * refuses connections, times out or cannot be resolved gets the same classified status,
 * {@code Proxy-Status} and {@link FailureAttributes} as a proxied request, before the
 * container's error dispatch, so its {@code <error-page>} can say what happened.
 *
 * <p>Exceptions that are not upstream failures pass through untouched. Map it to {@code /*} on
 * the {@code REQUEST} and {@code ASYNC} dispatches: an asynchronous servlet that dispatches back
 * and throws there is covered, and so is an error the container reports on an asynchronous
 * request. The recorder and answers are the web application's ({@link FailureRecorder#of}): the
 * gateway's, once it has started. The {@code Proxy-Status} member name is the init parameter
 * {@code name}, else the gateway's configured name, else {@value FailureRecorder#DEFAULT_NAME}.
 */
public class FailureCauseFilter implements Filter {
    private final FailureClassifier classifier = new FailureClassifier();
    private String configuredName;
    private ServletContext context;

    @Override
    public void init(FilterConfig filterConfig) {
        context = filterConfig.getServletContext();
        configuredName = filterConfig.getInitParameter("name");
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException e) {
            if (!answered(request, response, e)) {
                throw e;
            }
            return;
        }
        if (request.isAsyncStarted() && request.getDispatcherType() == DispatcherType.REQUEST) {
            // The request goes on asynchronously: an upstream failure may still surface as its error.
            // Once: the listener re-registers itself when the request starts async again (onStartAsync).
            request.getAsyncContext().addListener(new AsyncFailures());
        }
    }

    /**
     * Classifies, records and answers an upstream failure of the application.
     *
     * @return false if the failure is not an upstream failure (or was recorded already, or the
     *     response is committed): the caller lets the container handle it
     */
    private boolean answered(ServletRequest request, ServletResponse response, Throwable error) throws IOException {
        if (!(request instanceof HttpServletRequest) || !(response instanceof HttpServletResponse)
                || FailureAttributes.get(request).isPresent()) {
            return false;
        }
        Optional<Classification> classification = classifier.classifyApplicationFailure(error);
        if (classification.isEmpty()) {
            return false;
        }
        HttpServletResponse httpResponse = (HttpServletResponse) response;
        UpstreamFailure classified = UpstreamFailure.builder(classification.get())
                .incident(IncidentIds.next())
                .detail(OperatorDetail.of(error))
                .responseCommitted(httpResponse.isCommitted())
                .build();
        // Looked up per failure: the gateway publishes its recorder when it starts, after this filter.
        FailureRecorder recorder = FailureRecorder.of(context);
        UpstreamFailure failure = recorder.recordApplicationFailure((HttpServletRequest) request, classified);
        if (httpResponse.isCommitted()) {
            return false;
        }
        FailureResponses responses = configuredName == null ? recorder.responses()
                : recorder.responses().named(configuredName);
        responses.send((HttpServletRequest) request, httpResponse, failure, responses.retryAfterSeconds());
        return true;
    }

    /** Classifies what an asynchronous request failed with, when the container reports it. */
    private final class AsyncFailures implements AsyncListener {
        @Override
        public void onError(AsyncEvent event) throws IOException {
            if (answered(event.getSuppliedRequest(), event.getSuppliedResponse(), event.getThrowable())) {
                event.getAsyncContext().complete();
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
            // Nothing to record: the request completed.
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // The application's own async timeout: its decision, not an upstream failure seen here.
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }
}
