package io.gatewise.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading wrk's report of a 1 s run: one interval of the warmup scenario's series. */
class WrkTest {
    @Test
    void readsAOneSecondRun() throws Exception {
        String output = """
                Running 1s test @ http://127.0.0.1:40123/ok/small.txt
                  2 threads and 64 connections
                  Thread Stats   Avg      Stdev     Max   +/- Stdev
                    Latency     2.91ms    4.12ms  61.20ms   91.44%
                    Req/Sec    12.01k     2.10k   15.33k    70.00%
                  Latency Distribution
                     50%    1.62ms
                     75%    2.90ms
                     90%    6.45ms
                     99%   21.37ms
                  23890 requests in 1.00s, 5.83MB read
                  Socket errors: connect 0, read 3, write 0, timeout 2
                  Non-2xx or 3xx responses: 7
                Requests/sec:  23874.52
                Transfer/sec:      5.83MB
                """;

        Wrk.Result result = Wrk.parse(output);

        assertThat(result.requestsPerSecond()).isEqualTo(23874.52);
        assertThat(result.requests()).isEqualTo(23890);
        assertThat(result.p50Millis()).isEqualTo(1.62);
        assertThat(result.p99Millis()).isEqualTo(21.37);
        assertThat(result.socketErrors()).isEqualTo(5);
        assertThat(result.non2xx()).isEqualTo(7);
    }

    @Test
    void aSecondWithNoAnswerIsZero() throws Exception {
        // A target still starting: wrk's run ends with nothing done and no latency to report.
        String output = """
                Running 1s test @ http://127.0.0.1:40123/ok/small.txt
                  2 threads and 64 connections
                  Thread Stats   Avg      Stdev     Max   +/- Stdev
                    Latency     0.00us    0.00us   0.00us    -nan%
                    Req/Sec     0.00      0.00     0.00      -nan%
                  Latency Distribution
                     50%    0.00us
                     75%    0.00us
                     90%    0.00us
                     99%    0.00us
                  0 requests in 1.00s, 0.00B read
                  Socket errors: connect 0, read 0, write 0, timeout 64
                Requests/sec:      0.00
                Transfer/sec:       0.00B
                """;

        Wrk.Result result = Wrk.parse(output);

        assertThat(result.requestsPerSecond()).isZero();
        assertThat(result.requests()).isZero();
        assertThat(result.socketErrors()).isEqualTo(64);
    }
}
