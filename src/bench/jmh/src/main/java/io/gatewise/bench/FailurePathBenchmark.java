package io.gatewise.bench;

import io.gatewise.config.ErrorPagesConfig;
import io.gatewise.errorpage.ContentNegotiation;
import io.gatewise.errorpage.ErrorPageRenderer;
import io.gatewise.errorpage.PageFormat;
import io.gatewise.errorpage.PageLanguage;
import io.gatewise.errorpage.PageRequest;
import io.gatewise.failure.Classification;
import io.gatewise.failure.ExchangeState;
import io.gatewise.failure.FailureClassifier;
import io.gatewise.failure.FailureEvent;
import io.gatewise.failure.IncidentIds;
import io.gatewise.failure.Phase;
import io.gatewise.failure.ProxyStatus;
import io.gatewise.failure.UpstreamFailure;
import io.gatewise.observe.FailureLog;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.jetty.client.HttpResponseException;
import org.eclipse.jetty.http.BadMessageException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of the failure path per failed request: classifying the exception chain the JDK or
 * Jetty produced (one benchmark per shape), and the whole record: classify, build the record,
 * write {@code Proxy-Status} and the log line. The exceptions are built once, as the classifier
 * sees them after Jetty created them.
 *
 * <p>Run: {@code java -jar src/bench/jmh/target/benchmarks.jar FailurePath}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FailurePathBenchmark {
    /** The exception shapes of the staged faults. */
    public enum Shape {
        /** Nothing listening. */
        REFUSED,
        /** SYN unanswered. */
        CONNECT_TIMEOUT,
        /** Closed before any byte. */
        CLOSED,
        /** Total timeout while waiting for headers. */
        RESPONSE_TIMEOUT,
        /** Garbage instead of a status line. */
        PROTOCOL,
        /** An expired certificate, three causes deep. */
        TLS_EXPIRED
    }

    @Param
    public Shape shape;

    private static final String BROWSER_ACCEPT =
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
    private static final String BROWSER_LANGUAGE = "en-GB,en;q=0.9";

    private final FailureClassifier classifier = new FailureClassifier();
    private final ErrorPageRenderer renderer = ErrorPageRenderer.create(ErrorPagesConfig.defaults());
    private Throwable failure;
    private ExchangeState state;
    private UpstreamFailure recorded;

    @Setup
    public void setUp() {
        switch (shape) {
            case REFUSED:
                failure = new ConnectException("Connection refused");
                state = state(Phase.CONNECT, 1);
                break;
            case CONNECT_TIMEOUT:
                failure = new SocketTimeoutException("Connect Timeout");
                state = state(Phase.CONNECT, 5000);
                break;
            case CLOSED:
                failure = new EOFException("HttpConnectionOverHTTP@1::SocketChannelEndPoint@2");
                state = state(Phase.AWAIT_HEADERS, 2);
                break;
            case RESPONSE_TIMEOUT:
                failure = new TimeoutException("Total timeout 30000 ms elapsed");
                state = state(Phase.AWAIT_HEADERS, 30_000);
                break;
            case PROTOCOL:
                failure = new HttpResponseException("HTTP protocol violation: bad response", null,
                        new BadMessageException("No Status"));
                state = state(Phase.AWAIT_HEADERS, 2);
                break;
            default:
                SSLHandshakeException tls = new SSLHandshakeException("PKIX path validation failed");
                tls.initCause(new CertPathValidatorException("validity check failed",
                        new CertificateExpiredException("NotAfter: yesterday")));
                failure = tls;
                state = state(Phase.SEND, 3);
        }
        record();
    }

    private void record() {
        recorded = UpstreamFailure.builder(classifier.classify(failure, state)).route("/api/")
                .upstream("127.0.0.1:9001").elapsed(state.elapsed()).incident(IncidentIds.next()).build();
    }

    private static ExchangeState state(Phase phase, long elapsedMillis) {
        return new ExchangeState(phase, Duration.ofMillis(elapsedMillis), Duration.ofSeconds(30));
    }

    /** @return the classification of one failure */
    @Benchmark
    public Classification classify() {
        return classifier.classify(failure, state);
    }

    /** @return the {@code Proxy-Status} member for a recorded failure */
    @Benchmark
    public String proxyStatus() {
        return ProxyStatus.member("edge-1", recorded, false);
    }

    /**
     * @return the whole error response for one failure, as the gateway produces it: classify,
     *     record, {@code Proxy-Status}, the log line, then negotiate and render the page a browser
     *     asked for
     */
    @Benchmark
    public int fullErrorResponse() {
        String written = classifyRecordAndWrite();
        PageFormat format = ContentNegotiation.choose(BROWSER_ACCEPT);
        Locale locale = PageLanguage.choose(BROWSER_LANGUAGE);
        return written.length() + renderer.render(new PageRequest(recorded, 502, format, locale, false)).body().length();
    }

    /** @return what the gateway writes for one failure: record, Proxy-Status and log line */
    @Benchmark
    public String classifyRecordAndWrite() {
        Classification classification = classifier.classify(failure, state);
        UpstreamFailure recorded = UpstreamFailure.builder(classification).route("/api/").upstream("127.0.0.1:9001")
                .elapsed(state.elapsed()).incident(IncidentIds.next()).build();
        String header = ProxyStatus.member("edge-1", recorded, false);
        String line = FailureLog.line(new FailureEvent(recorded, "GET", "/api/users", "127.0.0.1"));
        return header.length() > line.length() ? header : line;
    }
}
