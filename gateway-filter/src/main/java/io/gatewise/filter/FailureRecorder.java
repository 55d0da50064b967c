package io.gatewise.filter;

import io.gatewise.config.ErrorPagesConfig;
import io.gatewise.failure.FailureEvent;
import io.gatewise.failure.FailureListener;
import io.gatewise.failure.UpstreamFailure;
import io.gatewise.observe.FailureLog;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a failure once: into the request's attributes, then to every {@link FailureListener}
 * (by default the {@link FailureLog}); and carries the {@link FailureResponses} that answer it.
 * The proxy and the {@link FailureCauseFilter} both record through the one recorder of their web
 * application, kept as a context attribute: the gateway publishes its own when it starts.
 */
public final class FailureRecorder {
    /** The servlet context attribute that holds the web application's recorder. */
    public static final String CONTEXT_ATTRIBUTE = FailureRecorder.class.getName();
    /** The {@code Proxy-Status} member name of a web application without a gateway. */
    public static final String DEFAULT_NAME = "gatewise";

    private static final Logger LOG = LoggerFactory.getLogger(FailureRecorder.class);

    private final List<FailureListener> listeners;
    private final FailureResponses responses;

    private FailureRecorder(List<FailureListener> listeners, FailureResponses responses) {
        this.listeners = List.copyOf(listeners);
        this.responses = Objects.requireNonNull(responses, "responses");
    }

    /**
     * @param listeners who is told about each failure, in order
     * @param responses how failures are answered
     * @return a recorder
     */
    public static FailureRecorder of(List<FailureListener> listeners, FailureResponses responses) {
        return new FailureRecorder(listeners, responses);
    }

    /** @return a recorder that logs each failure, one line each, and answers with the built-in pages */
    public static FailureRecorder logging() {
        return of(List.of(new FailureLog()), FailureResponses.create(DEFAULT_NAME, ErrorPagesConfig.defaults()));
    }

    /**
     * @param context a web application's context
     * @return its recorder; one that logs, installed now, if it had none
     */
    public static FailureRecorder of(ServletContext context) {
        Object recorder = context.getAttribute(CONTEXT_ATTRIBUTE);
        if (recorder instanceof FailureRecorder) {
            return (FailureRecorder) recorder;
        }
        synchronized (context) {
            recorder = context.getAttribute(CONTEXT_ATTRIBUTE);
            if (recorder instanceof FailureRecorder) {
                return (FailureRecorder) recorder;
            }
            FailureRecorder created = logging();
            context.setAttribute(CONTEXT_ATTRIBUTE, created);
            return created;
        }
    }

    /**
     * Publishes a recorder as its web application's, replacing any there was.
     *
     * @param context the web application's context
     */
    public void publish(ServletContext context) {
        synchronized (context) {
            context.setAttribute(CONTEXT_ATTRIBUTE, this);
        }
    }

    /** @return how failures recorded here are answered */
    public FailureResponses responses() {
        return responses;
    }

    /**
     * Sets the failure's request attributes and tells every listener.
     *
     * @param request the request that failed
     * @param failure the failure
     */
    public void record(HttpServletRequest request, UpstreamFailure failure) {
        FailureAttributes.set(request, failure);
        FailureEvent event = new FailureEvent(failure, request.getMethod(), request.getRequestURI(),
                request.getRemoteAddr());
        for (FailureListener listener : listeners) {
            try {
                listener.onFailure(event);
            } catch (RuntimeException e) {
                LOG.warn("Failure listener {} failed on incident {}", listener, failure.incident(), e);
            }
        }
    }
}
