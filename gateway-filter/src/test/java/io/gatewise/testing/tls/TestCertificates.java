package io.gatewise.testing.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Real X.509 certificates for TLS tests, generated with Bouncy Castle once per JVM: a test CA
 * that clients trust, and server certificates that are good or broken in exactly one way each.
 *
 * <p>Keys are EC P-256: generating them takes milliseconds, where RSA-2048 takes far longer, and
 * every JDK TLS stack accepts them. Bouncy Castle only builds and signs the certificates; it is
 * never registered as a JCA provider, so the TLS code under test runs on the JDK's own providers.
 */
public final class TestCertificates {
    /** The password of every key store, and of the key entries in it. */
    public static final String PASSWORD = "gatewise-test";

    /** The alias of the server key entry in each {@link #serverKeyStore(Leaf) server key store}. */
    public static final String SERVER_KEY_ALIAS = "upstream";

    /** The alias of the test CA in the {@link #clientTrustStore() client trust store}. */
    public static final String CA_ALIAS = "gatewise-test-ca";

    /** The host names a good server certificate is valid for; tests connect to the first. */
    public static final List<String> GOOD_HOSTS = List.of("127.0.0.1", "::1", "localhost");

    /** The only host a {@link Leaf#WRONG_HOST} certificate is valid for. */
    public static final String WRONG_HOST_NAME = "other.example";

    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private static final AtomicLong SERIALS = new AtomicLong(1);

    /** A server certificate, each broken in at most one way. */
    public enum Leaf {
        /** Signed by the trusted CA, valid now, for 127.0.0.1, ::1 and localhost. */
        VALID,
        /** Signed by the trusted CA, for the good hosts, but its validity ended a day ago. */
        EXPIRED,
        /** Signed by the trusted CA, valid now, but only for {@link #WRONG_HOST_NAME}. */
        WRONG_HOST,
        /** Valid now for the good hosts, but self-signed, so no client trusts it. */
        SELF_SIGNED,
        /** Valid now for the good hosts, but signed by a CA that clients do not trust. */
        UNKNOWN_CA
    }

    private final X509Certificate ca;
    private final Map<Leaf, PrivateKey> keys = new EnumMap<>(Leaf.class);
    private final Map<Leaf, List<X509Certificate>> chains = new EnumMap<>(Leaf.class);

    /** Holds the one instance; the JVM creates it on first use and only once. */
    private static final class Generated {
        static final TestCertificates INSTANCE = generate();
    }

    private TestCertificates(X509Certificate ca) {
        this.ca = ca;
    }

    /** @return the CA certificate in PEM, as an operator's CA file holds it */
    public static String caPem() {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(caCertificate().getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the certificate of the CA that {@link #clientTrustStore()} trusts */
    public static X509Certificate caCertificate() {
        return Generated.INSTANCE.ca;
    }

    /**
     * @param leaf which server certificate
     * @return its chain as a server presents it: the leaf first, then the CA that signed it, if any
     */
    public static List<X509Certificate> chain(Leaf leaf) {
        return Generated.INSTANCE.chains.get(leaf);
    }

    /**
     * @param leaf which server certificate
     * @return a new PKCS12 key store, password {@link #PASSWORD}, holding only that certificate's
     *     private key and chain under {@link #SERVER_KEY_ALIAS}
     */
    public static KeyStore serverKeyStore(Leaf leaf) {
        TestCertificates certificates = Generated.INSTANCE;
        try {
            KeyStore keyStore = emptyKeyStore();
            keyStore.setKeyEntry(SERVER_KEY_ALIAS, certificates.keys.get(leaf), PASSWORD.toCharArray(),
                    certificates.chains.get(leaf).toArray(new X509Certificate[0]));
            return keyStore;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the key store for " + leaf, e);
        }
    }

    /**
     * @param leaf which server certificate
     * @return its private key
     */
    public static PrivateKey privateKey(Leaf leaf) {
        return Generated.INSTANCE.keys.get(leaf);
    }

    /** @return a new PKCS12 trust store holding only the test CA, under {@link #CA_ALIAS} */
    public static KeyStore clientTrustStore() {
        try {
            KeyStore trustStore = emptyKeyStore();
            trustStore.setCertificateEntry(CA_ALIAS, caCertificate());
            return trustStore;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the trust store", e);
        }
    }

    /**
     * A client TLS configuration that trusts the test CA and nothing else: not the JDK's
     * {@code cacerts}, so a test can never pass by reaching a real public server. Endpoint
     * identification stays at Jetty's default, {@code HTTPS}, so host names are checked.
     *
     * @return a new, unstarted factory; the client or connector that uses it starts it
     */
    public static SslContextFactory.Client clientSslContextFactory() {
        SslContextFactory.Client factory = new SslContextFactory.Client();
        factory.setTrustStore(clientTrustStore());
        return factory;
    }

    private static KeyStore emptyKeyStore() throws GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try {
            keyStore.load(null, null);
        } catch (IOException e) {
            // An empty, in-memory key store reads nothing, so it cannot fail to read.
            throw new IllegalStateException(e);
        }
        return keyStore;
    }

    private static TestCertificates generate() {
        try {
            Instant now = Instant.now();
            // The CAs' validity covers every leaf's, so an expired leaf is the only thing wrong.
            Duration caLife = Duration.ofDays(3650);
            KeyPair caKeys = newKeyPair();
            X500Name caName = new X500Name("CN=Gatewise Test CA");
            X509Certificate ca = caCertificate(caName, caKeys, now.minus(caLife), now.plus(caLife));
            KeyPair unknownCaKeys = newKeyPair();
            X500Name unknownCaName = new X500Name("CN=Gatewise Untrusted Test CA");
            X509Certificate unknownCa = caCertificate(unknownCaName, unknownCaKeys, now.minus(caLife),
                    now.plus(caLife));

            Instant validFrom = now.minus(Duration.ofDays(1));
            Instant validUntil = now.plus(Duration.ofDays(30));
            TestCertificates certificates = new TestCertificates(ca);
            certificates.issue(Leaf.VALID, "CN=127.0.0.1", GOOD_HOSTS, validFrom, validUntil, caName,
                    caKeys, ca);
            // Expired: issued by the trusted CA. An expired self-signed certificate would not do,
            // because PKIX does not check the validity of the trust anchor itself.
            certificates.issue(Leaf.EXPIRED, "CN=127.0.0.1", GOOD_HOSTS, now.minus(Duration.ofDays(60)),
                    now.minus(Duration.ofDays(1)), caName, caKeys, ca);
            certificates.issue(Leaf.WRONG_HOST, "CN=" + WRONG_HOST_NAME, List.of(WRONG_HOST_NAME),
                    validFrom, validUntil, caName, caKeys, ca);
            certificates.issue(Leaf.UNKNOWN_CA, "CN=127.0.0.1", GOOD_HOSTS, validFrom, validUntil,
                    unknownCaName, unknownCaKeys, unknownCa);
            certificates.issueSelfSigned(Leaf.SELF_SIGNED, "CN=127.0.0.1", GOOD_HOSTS, validFrom,
                    validUntil);
            return certificates;
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("cannot generate the test certificates", e);
        }
    }

    private void issue(Leaf leaf, String subject, List<String> hosts, Instant notBefore, Instant notAfter,
            X500Name issuer, KeyPair issuerKeys, X509Certificate issuerCertificate)
            throws GeneralSecurityException, OperatorCreationException, CertIOException {
        KeyPair leafKeys = newKeyPair();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, nextSerial(),
                Date.from(notBefore), Date.from(notAfter), new X500Name(subject), leafKeys.getPublic());
        addServerExtensions(builder, leafKeys, hosts);
        builder.addExtension(Extension.authorityKeyIdentifier, false,
                new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuerCertificate));
        keys.put(leaf, leafKeys.getPrivate());
        chains.put(leaf, List.of(sign(builder, issuerKeys.getPrivate()), issuerCertificate));
    }

    private void issueSelfSigned(Leaf leaf, String subject, List<String> hosts, Instant notBefore,
            Instant notAfter) throws GeneralSecurityException, OperatorCreationException, CertIOException {
        KeyPair leafKeys = newKeyPair();
        X500Name name = new X500Name(subject);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, nextSerial(),
                Date.from(notBefore), Date.from(notAfter), name, leafKeys.getPublic());
        addServerExtensions(builder, leafKeys, hosts);
        keys.put(leaf, leafKeys.getPrivate());
        chains.put(leaf, List.of(sign(builder, leafKeys.getPrivate())));
    }

    /** The extensions that make a certificate usable by a TLS server for the given hosts. */
    private static void addServerExtensions(X509v3CertificateBuilder builder, KeyPair keys, List<String> hosts)
            throws GeneralSecurityException, CertIOException {
        List<GeneralName> names = new ArrayList<>();
        for (String host : hosts) {
            boolean ipAddress = host.contains(":") || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
            names.add(new GeneralName(ipAddress ? GeneralName.iPAddress : GeneralName.dNSName, host));
        }
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(new GeneralName[0])))
                .addExtension(Extension.subjectKeyIdentifier, false,
                        new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
    }

    private static X509Certificate caCertificate(X500Name name, KeyPair keys, Instant notBefore, Instant notAfter)
            throws GeneralSecurityException, OperatorCreationException, CertIOException {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, nextSerial(),
                Date.from(notBefore), Date.from(notAfter), name, keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false,
                        new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
        return sign(builder, keys.getPrivate());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey)
            throws GeneralSecurityException, OperatorCreationException {
        ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signingKey);
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static BigInteger nextSerial() {
        return BigInteger.valueOf(SERIALS.getAndIncrement());
    }
}
