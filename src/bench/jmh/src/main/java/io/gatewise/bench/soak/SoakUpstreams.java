package io.gatewise.bench.soak;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** The soak's healthy upstreams: real Jetty servers on loopback that can be killed and started again on their port. */
final class SoakUpstreams implements AutoCloseable {
    /** One upstream: a server on a fixed loopback address and port, up or down. */
    static final class Upstream {
        private final String name;
        private final String host;
        private int port;
        private Server server;
        private final AtomicLong served = new AtomicLong();

        Upstream(String name, String host) {
            this.name = name;
            this.host = host;
        }

        synchronized void start() throws Exception {
            QueuedThreadPool threads = new QueuedThreadPool(64, 4);
            threads.setName("up-" + name);
            Server next = new Server(threads);
            ServerConnector connector = new ServerConnector(next);
            connector.setHost(host);
            connector.setPort(port);
            next.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/");
            context.addServlet(new ServletHolder(new SoakServlet(name, served)), "/*");
            next.setHandler(context);
            next.start();
            port = connector.getLocalPort();
            server = next;
        }

        /** Stops at once: connections in flight are cut, as a crash would. */
        synchronized void kill() throws Exception {
            if (server != null) {
                server.setStopTimeout(0);
                server.stop();
                server = null;
            }
        }

        synchronized boolean up() {
            return server != null;
        }

        String name() {
            return name;
        }

        int port() {
            return port;
        }

        String host() {
            return host;
        }

        long served() {
            return served.get();
        }
    }

    private final List<Upstream> all = new ArrayList<>();

    Upstream add(String name, String host) throws Exception {
        Upstream upstream = new Upstream(name, host);
        upstream.start();
        all.add(upstream);
        return upstream;
    }

    /** @param port a port already taken on another address: the same port on this one */
    Upstream add(String name, String host, int port) throws Exception {
        Upstream upstream = new Upstream(name, host);
        upstream.port = port;
        upstream.start();
        all.add(upstream);
        return upstream;
    }

    @Override
    public void close() throws Exception {
        for (Upstream upstream : all) {
            upstream.kill();
        }
    }

    /** Answers what each route of the soak asks: small answers, echoed bodies, a slow stream. */
    static final class SoakServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private static final byte[] CHUNK = "s".repeat(512).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        private final String name;
        private final transient AtomicLong served;

        SoakServlet(String name, AtomicLong served) {
            this.name = name;
            this.served = served;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            served.incrementAndGet();
            byte[] body = request.getInputStream().readAllBytes();
            response.setHeader("X-Served-By", name);
            if (request.getRequestURI().startsWith("/stream/")) {
                OutputStream out = response.getOutputStream();
                for (int i = 0; i < 8; i++) {
                    out.write(CHUNK);
                    out.flush();
                    sleep(10);
                }
                return;
            }
            response.setContentType("text/plain");
            response.getWriter().print(name + " " + request.getMethod() + " " + body.length);
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
