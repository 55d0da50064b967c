package io.gatewise.testing.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Certificates for the gateway's own TLS listener, as an operator gives them: PEM files of a
 * self-signed leaf and its key, in the key format asked for; and a client that reads the leaf a
 * listener serves, with or without SNI, trusting anything (the test checks the serial itself).
 */
public final class ListenerCertificateFiles {
    private static final AtomicLong SERIALS = new AtomicLong(0x1000 + new SecureRandom().nextInt(1 << 20));

    /** How a private key is written. */
    public enum KeyFormat {
        /** {@code BEGIN PRIVATE KEY}. */
        PKCS8,
        /** {@code BEGIN RSA PRIVATE KEY}, or {@code BEGIN EC PRIVATE KEY} (SEC1) for an EC key. */
        TRADITIONAL
    }

    /**
     * A leaf and its key.
     *
     * @param leaf the certificate
     * @param privateKey its key
     */
    public record Issued(X509Certificate leaf, PrivateKey privateKey) {
        /** @return the serial in hex, as the listener's logs and alerts show it */
        public String serial() {
            return leaf.getSerialNumber().toString(16);
        }
    }

    private ListenerCertificateFiles() {
    }

    /**
     * @param commonName the subject's CN, such as {@code shop.example}
     * @param hosts the DNS names or IP addresses it holds
     * @param algorithm {@code EC} (P-256) or {@code RSA} (2048 bits)
     * @param validFor how long from now it is valid
     * @return a new self-signed leaf with a serial of its own
     */
    public static Issued issue(String commonName, List<String> hosts, String algorithm, Duration validFor) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if ("EC".equals(algorithm)) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(2048);
            }
            KeyPair keys = generator.generateKeyPair();
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            X500Name name = new X500Name("CN=" + commonName + ",O=Gatewise Test");
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    BigInteger.valueOf(SERIALS.getAndIncrement()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(validFor)), name, keys.getPublic());
            List<GeneralName> names = new ArrayList<>();
            for (String host : hosts) {
                boolean address = host.contains(":") || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
                names.add(new GeneralName(address ? GeneralName.iPAddress : GeneralName.dNSName, host));
            }
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names.toArray(new GeneralName[0])));
            String signature = "EC".equals(algorithm) ? "SHA256withECDSA" : "SHA256withRSA";
            X509Certificate leaf = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(signature).build(keys.getPrivate())));
            return new Issued(leaf, keys.getPrivate());
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot issue a test certificate for " + commonName, e);
        }
    }

    /**
     * @param issued a leaf and key
     * @return the leaf in PEM
     */
    public static String certificatePem(Issued issued) {
        return pem(issued.leaf());
    }

    /**
     * @param issued a leaf and key
     * @param format how to write the key
     * @return the key in PEM
     */
    public static String keyPem(Issued issued, KeyFormat format) {
        try {
            if (format == KeyFormat.PKCS8) {
                return pem(new JcaPKCS8Generator(issued.privateKey(), null));
            }
            if (!"EC".equals(issued.privateKey().getAlgorithm())) {
                return pem(issued.privateKey());
            }
            // SEC1 as OpenSSL writes it: with the curve's name and the public key inside.
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(issued.privateKey().getEncoded());
            org.bouncycastle.asn1.sec.ECPrivateKey inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(
                    info.parsePrivateKey());
            org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256,
                    inner.getKey(), SubjectPublicKeyInfo.getInstance(issued.leaf().getPublicKey().getEncoded())
                    .getPublicKeyData(), info.getPrivateKeyAlgorithm().getParameters());
            return pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes a pair as {@code tls.crt} and {@code tls.key} in a folder.
     *
     * @return the folder
     */
    public static Path write(Path folder, Issued issued, KeyFormat format) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("tls.crt"), certificatePem(issued), StandardCharsets.US_ASCII);
        Files.writeString(folder.resolve("tls.key"), keyPem(issued, format), StandardCharsets.US_ASCII);
        return folder;
    }

    private static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return text.toString();
    }

    /**
     * Opens a TLS connection to a listener on 127.0.0.1 and reads the leaf it serves.
     *
     * @param port the listener's port
     * @param sniHost the name to send as SNI; null to send none
     * @return the leaf served
     */
    public static X509Certificate served(int port, String sniHost) throws IOException {
        try (SSLSocket socket = connect(port, sniHost)) {
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    /**
     * @param port a TLS listener's port on 127.0.0.1
     * @param sniHost the SNI name, or null for none
     * @return a socket whose handshake is done; it trusts any certificate
     */
    public static SSLSocket connect(int port, String sniHost) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        plain.setSoTimeout(10_000);
        SSLSocket socket = (SSLSocket) trustAll().getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(sniHost == null ? List.of() : List.of(new SNIHostName(sniHost)));
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    /** @return a TLS context that trusts every server certificate: for reading what is served, only */
    public static SSLContext trustAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
