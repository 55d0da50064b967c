package io.gatewise.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A WAR whose config or error page template the gateway rejects never serves: the container
 * reports the deployment as failed, and its main log says why, at SEVERE, with the file, line
 * and column (or the template's name and line).
 */
@ExtendWith(ArquillianExtension.class)
class RejectedConfigInContainerIT {
    private static final String REJECTED_CONFIG = "rejected-config";
    private static final String BROKEN_TEMPLATE = "broken-template";

    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = REJECTED_CONFIG, managed = false, testable = false)
    static WebArchive rejectedConfig() {
        return InContainer.gatewayWar(REJECTED_CONFIG, """
                gateway: { name: edge-rejected }
                routes:
                  - path: /
                    upstreams: [ { url: 'http://127.0.0.1:9' } ]
                    timeouts: { connect: soon }
                """);
    }

    @Deployment(name = BROKEN_TEMPLATE, managed = false, testable = false)
    static WebArchive brokenTemplate() throws IOException {
        Path pages = InContainer.folder("broken-pages");
        Files.writeString(pages.resolve("default.html"), "<p>{{#status}} never closed\n");
        return InContainer.gatewayWar(BROKEN_TEMPLATE, """
                gateway: { name: edge-broken-template }
                errorPages: { templates: '%s' }
                routes:
                  - path: /
                    upstreams: [ { url: 'http://127.0.0.1:9' } ]
                """.formatted(pages));
    }

    @Test
    void aRejectedConfigFailsTheDeploymentWithItsLocation() throws Exception {
        String logged = deployAndExpectFailure(REJECTED_CONFIG,
                "Gateway config rejected: /WEB-INF/gatewise.yaml:5:");

        assertThat(logged).contains("SEVERE", "timeouts.connect", "soon");
    }

    @Test
    void aBrokenTemplateFailsTheDeploymentWithItsName() throws Exception {
        String logged = deployAndExpectFailure(BROKEN_TEMPLATE, "default.html");

        assertThat(logged).contains("SEVERE", "Gatewise not started in /" + BROKEN_TEMPLATE);
    }

    private String deployAndExpectFailure(String name, String message) throws Exception {
        LogFile log = InContainer.log();
        int mark = log.mark();
        try {
            assertThatThrownBy(() -> deployer.deploy(name)).as("the container reports the deployment failed")
                    .hasStackTraceContaining(name);
            String logged = InContainer.awaitLogged(log, mark, message);
            assertThat(InContainer.awaitLogged(log, mark, InContainer.name().equals("jetty")
                    ? "Failed startup of context" : "Context [/" + name + "] startup failed"))
                    .as("the container's own report").contains(name);
            return logged;
        } finally {
            deployer.undeploy(name);
        }
    }
}
