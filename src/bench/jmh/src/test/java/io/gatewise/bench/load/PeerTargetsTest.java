package io.gatewise.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configs the harness gives HAProxy and Spring Cloud Gateway, read without starting them (the
 * smoke run of compare.sh starts them): the same three prefixes to the same upstreams as every
 * other target, and the settings the comparison promises.
 */
class PeerTargetsTest {
    private static final Target.Upstreams UPSTREAMS = new Target.Upstreams(8001, 8002, 8003, 1000);

    @Test
    void haproxyRoutesTheThreePrefixesOnOneThreadWithoutRetries(@TempDir Path work) throws Exception {
        String config = Target.haproxyConfig(9000, UPSTREAMS, work);

        assertThat(config).contains("nbthread 1", "retries 0", "http-reuse always", "timeout connect 1000ms",
                "bind 127.0.0.1:9000", "use_backend ok if { path_beg /ok/ }",
                "use_backend refused if { path_beg /refused/ }", "use_backend blackhole if { path_beg /blackhole/ }",
                "server ok 127.0.0.1:8001", "server refused 127.0.0.1:8002", "server blackhole 127.0.0.1:8003",
                "errorfile 503 " + work.resolve("503.http"));
        assertThat(config).doesNotContain("check");
    }

    @Test
    void haproxyErrorfilesAreWholeResponsesThatKeepTheConnection(@TempDir Path work) throws Exception {
        Target.haproxyConfig(9000, UPSTREAMS, work);

        for (String code : new String[] {"502", "503", "504"}) {
            String response = Files.readString(work.resolve(code + ".http"), StandardCharsets.US_ASCII);
            assertThat(response).startsWith("HTTP/1.1 " + code + " ").doesNotContainIgnoringCase("connection:");
            int bodyStart = response.indexOf("\r\n\r\n") + 4;
            assertThat(response).contains("content-length: " + (response.length() - bodyStart) + "\r\n");
        }
    }

    @Test
    void springCloudGatewayGetsTheSameRoutesAndConnectTimeout() {
        assertThat(Target.scgArguments(9000, UPSTREAMS)).contains("--server.port=9000",
                "--spring.cloud.gateway.server.webflux.httpclient.connect-timeout=1000",
                "--spring.cloud.gateway.server.webflux.routes[0].uri=http://127.0.0.1:8001",
                "--spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/ok/**",
                "--spring.cloud.gateway.server.webflux.routes[1].uri=http://127.0.0.1:8002",
                "--spring.cloud.gateway.server.webflux.routes[1].predicates[0]=Path=/refused/**",
                "--spring.cloud.gateway.server.webflux.routes[2].uri=http://127.0.0.1:8003",
                "--spring.cloud.gateway.server.webflux.routes[2].predicates[0]=Path=/blackhole/**");
    }
}
