package io.gatewise.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatewise.config.CertificateConfig;
import io.gatewise.config.ListenerTlsConfig;
import io.gatewise.config.RouteConfig;
import io.gatewise.testing.EchoServlet;
import io.gatewise.testing.GatewayExtension;
import io.gatewise.testing.JettyUpstream;
import io.gatewise.testing.RunningGateway;
import io.gatewise.testing.tls.ListenerCertificateFiles;
import io.gatewise.testing.tls.ListenerCertificateFiles.Issued;
import io.gatewise.testing.tls.ListenerCertificateFiles.KeyFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS listener reads its certificate files again when they change: a Kubernetes secret's
 * {@code ..data} symlink swap, and files rewritten in place. New handshakes get the new
 * certificate, open connections keep theirs; a bad pair is refused, logged with its key and file,
 * and the certificate before keeps serving.
 */
class CertificateRotationTest {
    private static final Duration ROTATION_SEEN = Duration.ofSeconds(15);

    @RegisterExtension
    final GatewayExtension gateways = new GatewayExtension();

    @TempDir
    Path secret;

    private final Issued first = ListenerCertificateFiles.issue("shop.example", List.of("shop.example", "127.0.0.1"),
            "EC", Duration.ofDays(90));
    private final Issued second = ListenerCertificateFiles.issue("shop.example", List.of("shop.example", "127.0.0.1"),
            "EC", Duration.ofDays(180));
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream standardError;
    private int version;

    @BeforeEach
    void captureLog() {
        standardError = System.err;
        System.setErr(new PrintStream(new TeeStream(log, standardError), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLog() {
        System.setErr(standardError);
    }

    /** Lays out a folder as Kubernetes mounts a TLS secret: tls.crt -> ..data/tls.crt, ..data -> ..v1. */
    private void mountSecret(Issued issued) throws IOException {
        Path data = writeVersion(ListenerCertificateFiles.certificatePem(issued),
                ListenerCertificateFiles.keyPem(issued, KeyFormat.PKCS8));
        Files.createSymbolicLink(secret.resolve("..data"), data.getFileName());
        Files.createSymbolicLink(secret.resolve("tls.crt"), Path.of("..data", "tls.crt"));
        Files.createSymbolicLink(secret.resolve("tls.key"), Path.of("..data", "tls.key"));
    }

    private Path writeVersion(String certificate, String key) throws IOException {
        Path folder = Files.createDirectory(secret.resolve("..v" + ++version));
        Files.writeString(folder.resolve("tls.crt"), certificate, StandardCharsets.US_ASCII);
        Files.writeString(folder.resolve("tls.key"), key, StandardCharsets.US_ASCII);
        return folder;
    }

    /** Swaps {@code ..data} to a new folder in one rename, as the kubelet does. */
    private void swap(String certificate, String key) throws IOException {
        Path folder = writeVersion(certificate, key);
        Path link = Files.createSymbolicLink(secret.resolve("..data_tmp"), folder.getFileName());
        Files.move(link, secret.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private RunningGateway gateway() throws Exception {
        JettyUpstream upstream = gateways.jettyUpstream(new EchoServlet());
        CertificateConfig files = CertificateConfig.builder().certificate(secret.resolve("tls.crt").toString())
                .privateKey(secret.resolve("tls.key").toString()).build();
        return gateways.builder()
                .settings(settings -> settings.tls(ListenerTlsConfig.builder().port(0).certificate(files).build()))
                .route(RouteConfig.builder().path("/echo/").stripPrefix(true).upstream(upstream.url()).build())
                .start();
    }

    private static BigInteger servedSerial(RunningGateway gateway) throws IOException {
        return ListenerCertificateFiles.served(gateway.server().tlsPort().orElseThrow(), "shop.example")
                .getSerialNumber();
    }

    @Test
    void symlinkSwapServesTheNewCertificateToNewHandshakesAndKeepsOpenConnections() throws Exception {
        mountSecret(first);
        RunningGateway gateway = gateway();
        assertThat(servedSerial(gateway)).isEqualTo(first.leaf().getSerialNumber());

        try (SSLSocket open = ListenerCertificateFiles.connect(gateway.server().tlsPort().orElseThrow(),
                "shop.example")) {
            assertThat(exchange(open, "/echo/before")).startsWith("HTTP/1.1 200").contains("\"uri\":\"/before\"");

            swap(ListenerCertificateFiles.certificatePem(second), ListenerCertificateFiles.keyPem(second,
                    KeyFormat.TRADITIONAL));

            await().atMost(ROTATION_SEEN).untilAsserted(() -> assertThat(servedSerial(gateway))
                    .isEqualTo(second.leaf().getSerialNumber()));
            assertThat(exchange(open, "/echo/after")).as("the connection opened before the rotation")
                    .startsWith("HTTP/1.1 200").contains("\"uri\":\"/after\"");
            assertThat(((X509Certificate) open.getSession().getPeerCertificates()[0]).getSerialNumber())
                    .isEqualTo(first.leaf().getSerialNumber());
        }
        assertThat(TlsListenerTest.expirySeries(gateway.server().gateway().metrics().prometheusText().orElseThrow()))
                .as("the meter follows the reload")
                .containsOnly(Map.entry("{listener=\"tls\",subject=\"shop.example\"}",
                        TlsListenerTest.epochSeconds(second)));
        assertThat(gateway.server().gateway().listenerCertificates().all()).singleElement()
                .satisfies(served -> assertThat(served.serial()).isEqualTo(second.serial()));
    }

    @Test
    void badPairsWrittenDuringRotationAreRefusedAndTheOldCertificateKeepsServing() throws Exception {
        mountSecret(first);
        RunningGateway gateway = gateway();
        Issued stranger = ListenerCertificateFiles.issue("other.example", List.of("other.example"), "EC",
                Duration.ofDays(30));
        String keyFile = secret.resolve("tls.key").toString();
        String certificateFile = secret.resolve("tls.crt").toString();

        // The new certificate with a key that is not its own.
        swap(ListenerCertificateFiles.certificatePem(second), ListenerCertificateFiles.keyPem(stranger,
                KeyFormat.PKCS8));
        await().atMost(ROTATION_SEEN).untilAsserted(() -> assertThat(logged()).contains(
                "gateway.tls.certificates[0].privateKey: \"" + keyFile + "\" is not the key of the certificate's leaf",
                "still serving the certificate loaded before: shop.example (serial " + first.serial() + ","));
        assertThat(servedSerial(gateway)).isEqualTo(first.leaf().getSerialNumber());

        // A key cut short, as a writer caught halfway leaves it.
        String key = ListenerCertificateFiles.keyPem(second, KeyFormat.PKCS8);
        swap(ListenerCertificateFiles.certificatePem(second), key.substring(0, key.length() / 2));
        await().atMost(ROTATION_SEEN).untilAsserted(() -> assertThat(logged()).contains(
                "gateway.tls.certificates[0].privateKey: \"" + keyFile + "\" is not a readable PEM private key"));

        // Garbage where the certificate should be.
        swap("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n", key);
        await().atMost(ROTATION_SEEN).untilAsserted(() -> assertThat(logged()).contains(
                "gateway.tls.certificates[0].certificate: \"" + certificateFile + "\" is not a readable PEM"
                        + " certificate chain"));
        assertThat(servedSerial(gateway)).isEqualTo(first.leaf().getSerialNumber());
        assertThat(gateway.server().gateway().listenerCertificates().all()).singleElement()
                .satisfies(served -> assertThat(served.serial()).isEqualTo(first.serial()));

        // A good pair at last.
        swap(ListenerCertificateFiles.certificatePem(second), key);
        await().atMost(ROTATION_SEEN).untilAsserted(() -> assertThat(servedSerial(gateway))
                .isEqualTo(second.leaf().getSerialNumber()));
    }

    @Test
    void filesRewrittenInPlaceAreReadAgain() throws Exception {
        ListenerCertificateFiles.write(secret, first, KeyFormat.PKCS8);
        RunningGateway gateway = gateway();
        assertThat(servedSerial(gateway)).isEqualTo(first.leaf().getSerialNumber());

        // Key first, then the certificate: in between the pair does not match, and is refused.
        Files.writeString(secret.resolve("tls.key"), ListenerCertificateFiles.keyPem(second, KeyFormat.PKCS8));
        Files.writeString(secret.resolve("tls.crt"), ListenerCertificateFiles.certificatePem(second));

        await().atMost(ROTATION_SEEN).untilAsserted(() -> assertThat(servedSerial(gateway))
                .isEqualTo(second.leaf().getSerialNumber()));
    }

    private String logged() {
        return log.toString(StandardCharsets.UTF_8);
    }

    /** Sends one HTTP/1.1 request on an open connection and reads its whole response. */
    private static String exchange(SSLSocket socket, String path) throws IOException {
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: shop.example\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head);
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** Writes to both streams: the log stays visible while the test reads it. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream first;
        private final java.io.OutputStream second;

        TeeStream(java.io.OutputStream first, java.io.OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }
    }
}
