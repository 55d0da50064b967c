package io.gatewise.upstream;

import io.gatewise.config.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upstream's circuit breaker (Resilience4j), on the pool's clock. Open, it lets no attempt
 * through until {@code openFor} has passed; then a few trial attempts decide. The gateway asks it
 * before sending and tells it how each attempt ended.
 */
final class Circuit {
    private static final Logger LOG = LoggerFactory.getLogger(Circuit.class);
    /** What a failed attempt is recorded as; the breaker only counts it. */
    private static final Exception FAILED_ATTEMPT = new Exception("upstream attempt failed", null, false, false) {
        private static final long serialVersionUID = 1L;
    };

    private final CircuitBreaker breaker;
    private final Clock clock;
    private final long openForMillis;
    private volatile long openedAtMillis;

    Circuit(String name, CircuitBreakerConfig settings, Clock clock) {
        this.clock = clock;
        this.openForMillis = settings.openFor().toMillis();
        // Named in full: the simple name is left free for the gateway's own config type.
        this.breaker = CircuitBreaker.of(name, io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.failureRateThreshold())
                .minimumNumberOfCalls(settings.minimumCalls())
                .slidingWindowType(SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.windowSize())
                .waitDurationInOpenState(settings.openFor())
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .clock(clock)
                .build());
        breaker.getEventPublisher().onStateTransition(event -> {
            if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                openedAtMillis = clock.millis();
            }
            LOG.warn("Upstream {} circuit {}", name, event.getStateTransition());
        });
    }

    /** @return whether the circuit may let an attempt through now, without taking a permit */
    boolean mayAllow() {
        return breaker.getState() != CircuitBreaker.State.OPEN || clock.millis() - openedAtMillis >= openForMillis;
    }

    /** @return whether an attempt may go through; a permit the attempt must give back by ending */
    boolean acquire() {
        return breaker.tryAcquirePermission();
    }

    /** @return how long it stays open before it lets trials through */
    long openForMillis() {
        return openForMillis;
    }

    /** @return when an open circuit lets trial attempts through, in epoch millis; 0 if it is not open */
    long reopensAtMillis() {
        return breaker.getState() == CircuitBreaker.State.OPEN ? openedAtMillis + openForMillis : 0;
    }

    /** @return whether it is open: no attempts until it lets trials through */
    boolean open() {
        return state() == CircuitBreaker.State.OPEN;
    }

    /** @return the breaker's state, such as {@code CLOSED} */
    CircuitBreaker.State state() {
        return breaker.getState();
    }

    void succeeded() {
        breaker.onSuccess(0, TimeUnit.MILLISECONDS);
    }

    void failed() {
        breaker.onError(0, TimeUnit.MILLISECONDS, FAILED_ATTEMPT);
    }

    void abandoned() {
        breaker.releasePermission();
    }
}
