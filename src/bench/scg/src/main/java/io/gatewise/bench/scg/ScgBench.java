package io.gatewise.bench.scg;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Spring Cloud Gateway as a user would start it: the gateway starter and its defaults, routes
 * from properties. The load harness passes the port, the routes and the connect timeout as
 * command-line properties; {@code application.properties} holds what every run shares.
 */
@SpringBootApplication
public class ScgBench {
    public static void main(String[] args) {
        SpringApplication.run(ScgBench.class, args);
    }
}
