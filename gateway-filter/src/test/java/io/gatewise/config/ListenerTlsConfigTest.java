package io.gatewise.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatewise.testing.tls.ListenerCertificateFiles;
import io.gatewise.testing.tls.ListenerCertificateFiles.Issued;
import io.gatewise.testing.tls.ListenerCertificateFiles.KeyFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gateway.http2} and {@code gateway.tls}: what loads, and where each mistake is reported. */
class ListenerTlsConfigTest {
    private static final Issued EC = ListenerCertificateFiles.issue("shop.example", List.of("shop.example"), "EC",
            Duration.ofDays(30));
    private static final Issued RSA = ListenerCertificateFiles.issue("api.example", List.of("api.example"), "RSA",
            Duration.ofDays(30));

    @TempDir
    Path dir;

    private String yaml(String tls) {
        return String.join("\n",
                "gateway:",
                "  port: 8080",
                tls,
                "routes:",
                "  - path: /",
                "    upstreams:",
                "      - url: http://127.0.0.1:9001",
                "");
    }

    private String tls(Path certificate, Path key) {
        return String.join("\n",
                "  tls:",
                "    port: 8443",
                "    certificates:",
                "      - certificate: " + certificate,
                "        privateKey: " + key);
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
    }

    private Path certificate(Issued issued) throws Exception {
        return write(issued.leaf().getSerialNumber() + ".crt", ListenerCertificateFiles.certificatePem(issued));
    }

    private Path key(Issued issued, KeyFormat format) throws Exception {
        return write(issued.leaf().getSerialNumber() + "-" + format + ".key", ListenerCertificateFiles.keyPem(issued,
                format));
    }

    @Test
    void theDocumentedShapeLoadsWithItsDefaults() throws Exception {
        Path crt = certificate(EC);
        Path key = key(EC, KeyFormat.PKCS8);

        GatewayConfig config = ConfigLoader.parse(yaml(tls(crt, key)), "g.yaml");

        assertThat(config.gateway().http2()).isTrue();
        ListenerTlsConfig listener = config.gateway().tls().orElseThrow();
        assertThat(listener.port()).isEqualTo(8443);
        assertThat(listener.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(listener.certificates()).containsExactly(new CertificateConfig(crt, key));
        assertThat(ConfigLoader.parse(yaml("  http2: false"), "g.yaml").gateway())
                .satisfies(server -> assertThat(server.http2()).isFalse())
                .satisfies(server -> assertThat(server.tls()).isEmpty());
    }

    @Test
    void pkcs8Pkcs1AndSec1KeysLoad() throws Exception {
        assertThat(PemKeyPair.read(certificate(EC), key(EC, KeyFormat.PKCS8)).privateKey().getAlgorithm())
                .isEqualTo("EC");
        Path sec1 = key(EC, KeyFormat.TRADITIONAL);
        assertThat(Files.readString(sec1)).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(PemKeyPair.read(certificate(EC), sec1).leaf()).isEqualTo(EC.leaf());
        Path pkcs1 = key(RSA, KeyFormat.TRADITIONAL);
        assertThat(Files.readString(pkcs1)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(PemKeyPair.read(certificate(RSA), pkcs1).privateKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(PemKeyPair.read(certificate(RSA), key(RSA, KeyFormat.PKCS8)).privateKey().getAlgorithm())
                .isEqualTo("RSA");
    }

    @Test
    void theChainIsReadLeafFirst() throws Exception {
        Issued issuer = ListenerCertificateFiles.issue("Test CA", List.of("ca.example"), "EC", Duration.ofDays(30));
        Path chain = write("chain.crt", ListenerCertificateFiles.certificatePem(EC)
                + ListenerCertificateFiles.certificatePem(issuer));

        assertThat(PemKeyPair.read(chain, key(EC, KeyFormat.PKCS8)).chain()).containsExactly(EC.leaf(), issuer.leaf());
    }

    @Test
    void missingCertificateFileIsLocated() throws Exception {
        Path missing = dir.resolve("missing.crt");
        String yaml = yaml(tls(missing, key(EC, KeyFormat.PKCS8)));

        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "g.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("g.yaml:6:22: gateway.tls.certificates[0].certificate: \"" + missing
                        + "\" does not exist (expected: a readable PEM file)");
    }

    @Test
    void keyThatIsNotTheCertificatesIsLocated() throws Exception {
        Path key = key(RSA, KeyFormat.PKCS8);
        String yaml = yaml(tls(certificate(EC), key));

        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "g.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("g.yaml:7:21: gateway.tls.certificates[0].privateKey: \"" + key
                        + "\" is an RSA key where the certificate holds an EC key");
        Issued other = ListenerCertificateFiles.issue("shop.example", List.of("shop.example"), "EC", Duration.ofDays(1));
        Path otherKey = key(other, KeyFormat.PKCS8);
        assertThatThrownBy(() -> ConfigLoader.parse(yaml(tls(certificate(EC), otherKey)), "g.yaml"))
                .hasMessage("g.yaml:7:21: gateway.tls.certificates[0].privateKey: \"" + otherKey + "\" is not the key"
                        + " of the certificate's leaf \"O=Gatewise Test,CN=shop.example\" (expected: the private key"
                        + " that goes with the first certificate of the chain)");
    }

    @Test
    void unreadableContentIsNamed() throws Exception {
        Path crt = certificate(EC);
        Path empty = write("empty.key", "");
        Path text = write("text.crt", "hello\n");
        Path encrypted = write("encrypted.key", encrypted(EC));

        assertThatThrownBy(() -> PemKeyPair.read(crt, empty)).hasMessageContaining("privateKey: \"" + empty
                + "\" holds no private key");
        assertThatThrownBy(() -> PemKeyPair.read(text, empty)).hasMessageContaining("certificate: \"" + text
                + "\" holds no certificate");
        assertThatThrownBy(() -> PemKeyPair.read(crt, encrypted)).hasMessageContaining("holds an encrypted key");
        assertThatThrownBy(() -> PemKeyPair.read(dir, empty)).hasMessageContaining("is a folder");
    }

    /** A key as OpenSSL writes one encrypted with a pass phrase: the headers say so, the body is ciphertext. */
    private static String encrypted(Issued issued) {
        byte[] ciphertext = new byte[128];
        new java.util.Random(issued.leaf().getSerialNumber().longValue()).nextBytes(ciphertext);
        return "-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,"
                + "0123456789ABCDEF0123456789ABCDEF\n\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(ciphertext) + "\n-----END EC PRIVATE KEY-----\n";
    }

    @Test
    void listenerSettingsAreCheckedWithTheirKeys() throws Exception {
        Path crt = certificate(EC);
        Path key = key(EC, KeyFormat.PKCS8);
        String good = tls(crt, key);

        assertThatThrownBy(() -> ConfigLoader.parse(yaml(good.replace("port: 8443", "port: 70000")), "g.yaml"))
                .hasMessage("g.yaml:4:11: gateway.tls.port: 70000 (expected: 0 to 65535; 0 picks a free port)");
        assertThatThrownBy(() -> ConfigLoader.parse(yaml(good + "\n    protocols: [TLSv1.3, TLSv1.1]"), "g.yaml"))
                .hasMessageStartingWith("g.yaml:8:26: gateway.tls.protocols[1]: \"TLSv1.1\" (expected: TLSv1.3 or TLSv1.2");
        assertThatThrownBy(() -> ConfigLoader.parse(yaml(good + "\n    protocols: []"), "g.yaml"))
                .hasMessageContaining("gateway.tls.protocols: an empty list (expected: [TLSv1.3, TLSv1.2]");
        assertThatThrownBy(() -> ConfigLoader.parse(yaml("  tls:\n    port: 8443\n    certificates: []"), "g.yaml"))
                .hasMessageContaining("gateway.tls.certificates: missing or empty (expected: one or more entries");
        assertThatThrownBy(() -> ConfigLoader.parse(yaml("  tls:\n    port: 8443"), "g.yaml"))
                .hasMessageContaining("gateway.tls.certificates: missing or empty");
        assertThatThrownBy(() -> ConfigLoader.parse(yaml("  tls:"), "g.yaml"))
                .hasMessage("g.yaml:3:7: gateway.tls: \"\" (expected: a mapping)");
        assertThatThrownBy(() -> ConfigLoader.parse(yaml(good.replace("privateKey:", "key:")), "g.yaml"))
                .hasMessage("g.yaml:7:9: gateway.tls.certificates[0].key: unknown key (expected one of: certificate,"
                        + " privateKey)");
        assertThatThrownBy(() -> ConfigLoader.parse(yaml(good + "\n    ciphers: [x]"), "g.yaml"))
                .hasMessage("g.yaml:8:5: gateway.tls.ciphers: unknown key (expected one of: certificates, port,"
                        + " protocols)");
        assertThatThrownBy(() -> ConfigLoader.parse(yaml(good.replace("        privateKey: " + key, "")), "g.yaml"))
                .hasMessageContaining("gateway.tls.certificates[0].privateKey: missing (expected: the PEM file");
        assertThat(ConfigLoader.knownKeys(ServerConfig.class)).contains("http2", "tls");
    }
}
