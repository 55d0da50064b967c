package io.gatewise.deployment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Servlet containers on a free loopback port, as an operator would run them, for deployment tests. */
final class Containers {
    /** The names of Jetty's servlet container initializers, which no Tomcat of an operator's has. */
    private static final String JETTY_INITIALIZERS = "^org\\.eclipse\\.jetty\\.";

    private Containers() {
    }

    /**
     * A running container.
     *
     * @param port its port on 127.0.0.1
     * @param stop how to stop it
     */
    record Running(int port, AutoCloseable stop) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            stop.close();
        }
    }

    /**
     * Unpacks the entries of a WAR that a test keeps into a folder, as a container would.
     *
     * @param war the WAR
     * @param folder where to unpack
     * @param keep which entry names to unpack
     * @return the folder
     */
    static Path unpack(Path war, Path folder, Predicate<String> keep) throws IOException {
        Files.createDirectories(folder);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(war))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path target = folder.resolve(entry.getName()).normalize();
                if (!target.startsWith(folder)) {
                    throw new IOException("entry outside the web application: " + entry.getName());
                }
                if (entry.isDirectory() || !keep.test(entry.getName())) {
                    continue;
                }
                Files.createDirectories(target.getParent());
                Files.copy(in, target);
            }
        }
        return folder;
    }

    /** @return a Jetty server serving the handler on 127.0.0.1, started */
    static Running jetty(Handler handler) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(handler);
        server.start();
        return new Running(connector.getLocalPort(), server::stop);
    }

    /** @return Tomcat on 127.0.0.1 with one web application (a WAR or a folder), started */
    static Running tomcat(Path baseDir, String contextPath, Path webapp) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createDirectories(baseDir.resolve("webapps")).getParent().toString());
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        StandardContext context = (StandardContext) tomcat.addWebapp(contextPath, webapp.toAbsolutePath().toString());
        // The tests' class path carries Jetty's Jakarta WebSocket (the standalone gateway's), whose initializer
        // would run in this Tomcat and fail; a Tomcat an operator runs has none of it.
        context.setContainerSciFilter(JETTY_INITIALIZERS);
        tomcat.start();
        return new Running(connector.getLocalPort(), () -> {
            tomcat.stop();
            tomcat.destroy();
        });
    }
}
