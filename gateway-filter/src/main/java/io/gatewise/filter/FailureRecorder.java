package io.gatewise.filter;

import io.gatewise.failure.FailureEvent;
import io.gatewise.failure.FailureListener;
import io.gatewise.failure.UpstreamFailure;
import io.gatewise.observe.FailureLog;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a failure once: into the request's attributes, then to every {@link FailureListener}
 * (by default the {@link FailureLog}). The proxy and the {@link FailureCauseFilter} both record
 * through the one recorder of their web application, kept as a context attribute.
 */
public final class FailureRecorder {
    /** The servlet context attribute that holds the web application's recorder. */
    public static final String CONTEXT_ATTRIBUTE = FailureRecorder.class.getName();

    private static final Logger LOG = LoggerFactory.getLogger(FailureRecorder.class);

    private final List<FailureListener> listeners;

    private FailureRecorder(List<FailureListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /**
     * @param listeners who is told about each failure, in order
     * @return a recorder
     */
    public static FailureRecorder of(List<FailureListener> listeners) {
        return new FailureRecorder(listeners);
    }

    /** @return a recorder that logs each failure, one line each */
    public static FailureRecorder logging() {
        return of(List.of(new FailureLog()));
    }

    /**
     * @param context a web application's context
     * @return its recorder; one that logs, installed now, if it had none
     */
    public static FailureRecorder of(ServletContext context) {
        synchronized (context) {
            Object recorder = context.getAttribute(CONTEXT_ATTRIBUTE);
            if (recorder instanceof FailureRecorder) {
                return (FailureRecorder) recorder;
            }
            FailureRecorder created = logging();
            context.setAttribute(CONTEXT_ATTRIBUTE, created);
            return created;
        }
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
