package io.gatewise.config;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.UnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Finds and loads the config of a gateway deployed in a web application.
 *
 * <p>The file is named by the servlet's init parameter {@value #PARAMETER}, else the system
 * property of that name, else the context parameter: an operator can point a packaged WAR at
 * another file without repacking it. A name under {@code /WEB-INF/} is read from the web
 * application itself.
 */
public final class WebAppConfig {
    /** The init parameter, system property or context parameter that names the config file. */
    public static final String PARAMETER = "gatewise.config";

    private WebAppConfig() {
    }

    /**
     * @param servletConfig the gateway servlet's config
     * @return the gateway configuration
     * @throws UnavailableException naming the problem, if no file is named, it cannot be read, or
     *     it holds a configuration the gateway cannot run with
     */
    public static GatewayConfig load(ServletConfig servletConfig) throws UnavailableException {
        return load(servletConfig.getServletContext(), servletConfig.getInitParameter(PARAMETER));
    }

    /**
     * @param context the web application
     * @return the gateway configuration named by the system property, else the context parameter
     * @throws UnavailableException naming the problem, as {@link #load(ServletConfig)}
     */
    public static GatewayConfig load(ServletContext context) throws UnavailableException {
        return load(context, null);
    }

    private static GatewayConfig load(ServletContext context, String servletParameter) throws UnavailableException {
        String file = servletParameter;
        if (file == null) {
            file = System.getProperty(PARAMETER);
        }
        if (file == null) {
            file = context.getInitParameter(PARAMETER);
        }
        if (file == null) {
            throw new UnavailableException("No gateway config: set the init parameter, system property or context"
                    + " parameter " + PARAMETER + " to a YAML config file");
        }
        try {
            if (file.startsWith("/WEB-INF/")) {
                return ConfigLoader.parse(readWebResource(context, file), file);
            }
            return ConfigLoader.load(Path.of(file));
        } catch (ConfigException e) {
            throw new UnavailableException("Gateway config rejected: " + e.getMessage());
        }
    }

    private static String readWebResource(ServletContext context, String path) throws UnavailableException {
        try (InputStream in = context.getResourceAsStream(path)) {
            if (in == null) {
                throw new UnavailableException("No gateway config: " + path + " is not in the web application");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UnavailableException("Cannot read the gateway config " + path + ": " + e);
        }
    }
}
