package io.gatewise.bench;

import io.gatewise.errorpage.ContentNegotiation;
import io.gatewise.errorpage.PageFormat;
import io.gatewise.errorpage.PageLanguage;
import java.util.Locale;
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
 * The cost of choosing an error page's format from {@code Accept} and its language from
 * {@code Accept-Language}, for the headers real clients send.
 *
 * <p>Run: {@code java -jar src/bench/jmh/target/benchmarks.jar Negotiation}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NegotiationBenchmark {
    /** Request headers of typical clients. */
    public enum Client {
        /** A desktop browser in Chinese. */
        BROWSER("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
                "zh-CN,zh;q=0.9,en;q=0.8"),
        /** curl: no language, any type. */
        CURL("*/*", null),
        /** A program asking for JSON. */
        API_CLIENT("application/json", "en-US");

        final String accept;
        final String acceptLanguage;

        Client(String accept, String acceptLanguage) {
            this.accept = accept;
            this.acceptLanguage = acceptLanguage;
        }
    }

    @Param
    public Client client;

    private String accept;
    private String acceptLanguage;

    @Setup
    public void setUp() {
        accept = client.accept;
        acceptLanguage = client.acceptLanguage;
    }

    /** @return the format for the client's {@code Accept} */
    @Benchmark
    public PageFormat format() {
        return ContentNegotiation.choose(accept);
    }

    /** @return the language for the client's {@code Accept-Language} */
    @Benchmark
    public Locale language() {
        return PageLanguage.choose(acceptLanguage);
    }
}
