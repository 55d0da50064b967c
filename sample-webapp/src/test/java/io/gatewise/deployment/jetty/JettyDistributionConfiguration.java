package io.gatewise.deployment.jetty;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.arquillian.container.spi.ConfigurationException;
import org.jboss.arquillian.container.spi.client.container.ContainerConfiguration;

/** Where the Jetty distribution is and how long it may take; set from {@code arquillian.xml}. */
public final class JettyDistributionConfiguration implements ContainerConfiguration {
    private String jettyHome;
    private String jettyBase;
    private int startupTimeoutInSeconds = 60;
    private int deployTimeoutInSeconds = 60;

    @Override
    public void validate() throws ConfigurationException {
        if (jettyHome == null || !Files.isRegularFile(Path.of(jettyHome, "start.jar"))) {
            throw new ConfigurationException("jettyHome must be an unpacked jetty-home (with start.jar), not " + jettyHome);
        }
        if (jettyBase == null || jettyBase.isBlank()) {
            throw new ConfigurationException("jettyBase must name the folder to create the Jetty base in");
        }
        if (startupTimeoutInSeconds <= 0 || deployTimeoutInSeconds <= 0) {
            throw new ConfigurationException("startupTimeoutInSeconds and deployTimeoutInSeconds must be positive");
        }
    }

    /** @return the unpacked jetty-home */
    public Path jettyHome() {
        return Path.of(jettyHome);
    }

    /** @return the Jetty base the container creates afresh at each start */
    public Path jettyBase() {
        return Path.of(jettyBase);
    }

    public int startupTimeoutInSeconds() {
        return startupTimeoutInSeconds;
    }

    public int deployTimeoutInSeconds() {
        return deployTimeoutInSeconds;
    }

    public void setJettyHome(String jettyHome) {
        this.jettyHome = jettyHome;
    }

    public void setJettyBase(String jettyBase) {
        this.jettyBase = jettyBase;
    }

    public void setStartupTimeoutInSeconds(int seconds) {
        this.startupTimeoutInSeconds = seconds;
    }

    public void setDeployTimeoutInSeconds(int seconds) {
        this.deployTimeoutInSeconds = seconds;
    }
}
