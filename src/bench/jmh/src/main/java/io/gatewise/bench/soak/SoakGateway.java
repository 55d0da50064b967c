package io.gatewise.bench.soak;

import io.gatewise.config.ConfigSource;
import io.gatewise.server.GatewayServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * The gateway of the fault soak, in a process of its own so its memory, threads and files are its
 * own: the standalone server on the soak's config file, resolving upstream names from a hosts file
 * the fault script rewrites (a name that changes what it resolves to, without touching the machine's
 * resolver). Prints {@code ports <traffic> <admin>} once it serves.
 */
public final class SoakGateway {
    private SoakGateway() {
    }

    /**
     * @param args the config file and the hosts file
     * @throws Exception if the gateway cannot start
     */
    public static void main(String[] args) throws Exception {
        Path config = Path.of(args[0]);
        Path hosts = Path.of(args[1]);
        ConfigSource source = ConfigSource.file(config);
        GatewayServer server = GatewayServer.builder(source.load().config()).configSource(source)
                .resolver(new HostsFile(hosts)).build().start();
        System.out.println("ports " + server.port() + " " + server.adminPort().orElseThrow());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    /** Answers names from a file of {@code name address} lines, read anew at each lookup; literals as they are. */
    static final class HostsFile implements SocketAddressResolver {
        private final Path file;

        HostsFile(Path file) {
            this.file = file;
        }

        @Override
        public void resolve(String host, int port, Map<String, Object> context,
                Promise<List<InetSocketAddress>> promise) {
            try {
                promise.succeeded(List.of(new InetSocketAddress(address(host), port)));
            } catch (Exception e) {
                promise.failed(e);
            }
        }

        private InetAddress address(String host) throws Exception {
            if (Character.isDigit(host.charAt(0)) || host.indexOf(':') >= 0) {
                return InetAddress.getByName(host);
            }
            for (String line : Files.readAllLines(file)) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length == 2 && parts[0].equals(host)) {
                    return InetAddress.getByName(parts[1]);
                }
            }
            throw new UnknownHostException(host + ": not in " + file);
        }
    }
}
