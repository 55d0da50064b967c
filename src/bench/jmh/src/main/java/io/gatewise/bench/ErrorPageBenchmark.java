package io.gatewise.bench;

import io.gatewise.config.ErrorPagesConfig;
import io.gatewise.errorpage.ErrorPageRenderer;
import io.gatewise.errorpage.PageFormat;
import io.gatewise.errorpage.PageLanguage;
import io.gatewise.errorpage.PageRequest;
import io.gatewise.failure.Phase;
import io.gatewise.failure.ProxyErrorType;
import io.gatewise.failure.UpstreamFailure;
import java.util.concurrent.TimeUnit;
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
 * The cost of rendering one error page, per format, language and view, with the built-in
 * templates.
 *
 * <p>Run: {@code java -jar src/bench/jmh/target/benchmarks.jar ErrorPage}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ErrorPageBenchmark {
    @Param({"HTML", "PROBLEM_JSON", "TEXT"})
    public PageFormat format;

    @Param({"en", "zh"})
    public String language;

    @Param({"false", "true"})
    public boolean operator;

    private ErrorPageRenderer renderer;
    private PageRequest request;

    @Setup
    public void setUp() {
        renderer = ErrorPageRenderer.create(ErrorPagesConfig.defaults());
        UpstreamFailure failure = UpstreamFailure.builder().type(ProxyErrorType.CONNECTION_REFUSED).phase(Phase.CONNECT)
                .route("/api/").upstream("127.0.0.1:9001").incident("7K2MX9QD4RTA").reason("connection refused")
                .detail("ConnectException: Connection refused").build();
        request = new PageRequest(failure, 502, format, "zh".equals(language) ? PageLanguage.CHINESE
                : PageLanguage.ENGLISH, operator);
    }

    /** @return one rendered page */
    @Benchmark
    public String render() {
        return renderer.render(request).body();
    }
}
