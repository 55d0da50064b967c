package io.gatewise.config;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.UnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
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

    /**
     * @param servletConfig the gateway servlet's config
     * @return where the gateway configuration comes from, to load it and later reload it
     * @throws UnavailableException if no file is named
     */
    public static ConfigSource source(ServletConfig servletConfig) throws UnavailableException {
        return source(servletConfig.getServletContext(), servletConfig.getInitParameter(PARAMETER));
    }

    /**
     * @param context the web application
     * @return where the gateway configuration named by the system property, else the context
     *     parameter, comes from
     * @throws UnavailableException if no file is named
     */
    public static ConfigSource source(ServletContext context) throws UnavailableException {
        return source(context, null);
    }

    private static ConfigSource source(ServletContext context, String servletParameter) throws UnavailableException {
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
        if (file.startsWith("/WEB-INF/")) {
            String resource = file;
            return ConfigSource.text(resource, () -> readWebResource(context, resource));
        }
        try {
            return ConfigSource.file(Path.of(file));
        } catch (InvalidPathException e) {
            throw new UnavailableException("Gateway config rejected: " + file + ": not a file path");
        }
    }

    private static GatewayConfig load(ServletContext context, String servletParameter) throws UnavailableException {
        try {
            return source(context, servletParameter).load().config();
        } catch (ConfigException e) {
            throw new UnavailableException("Gateway config rejected: " + e.getMessage());
        }
    }

    private static String readWebResource(ServletContext context, String path) {
        try (InputStream in = context.getResourceAsStream(path)) {
            if (in == null) {
                throw ConfigException.located(path, 0, 0, "", "not in the web application (expected: a YAML config"
                        + " file under /WEB-INF/)", null);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ConfigException.located(path, 0, 0, "", "cannot be read: " + e, e);
        }
    }
}
