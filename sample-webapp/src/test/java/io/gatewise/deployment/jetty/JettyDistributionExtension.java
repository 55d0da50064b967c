package io.gatewise.deployment.jetty;

import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.core.spi.LoadableExtension;

/**
 * Registers the Jetty distribution adapter when the build runs the in-container tests in Jetty
 * ({@code -Dgatewise.container=jetty}); in the Tomcat run, Tomcat's adapter is the only one.
 */
public final class JettyDistributionExtension implements LoadableExtension {
    @Override
    public void register(ExtensionBuilder builder) {
        if ("jetty".equals(System.getProperty("gatewise.container"))) {
            builder.service(DeployableContainer.class, JettyDistributionContainer.class);
        }
    }
}
