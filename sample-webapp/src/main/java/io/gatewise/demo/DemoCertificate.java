package io.gatewise.demo;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The demo's HTTPS certificate: self-signed for {@code localhost}, {@code 127.0.0.1} and
 * {@code ::1}, made at each start into a temporary folder as PEM files, the way an operator hands
 * them to {@code gateway.tls.certificates}. A client trusts it with {@code curl --cacert}.
 *
 * @param certificate the certificate's PEM file, {@code localhost.crt}
 * @param privateKey its key's PEM file (PKCS#8), {@code localhost.key}
 */
public record DemoCertificate(Path certificate, Path privateKey) {
    private static final Duration VALIDITY = Duration.ofDays(30);

    /**
     * Makes a new key and certificate and writes them to a new temporary folder, removed when the
     * JVM exits.
     *
     * @return where they are
     * @throws IOException if the folder cannot be written
     */
    public static DemoCertificate generate() throws IOException {
        Path folder = Files.createTempDirectory("gatewise-demo-tls-");
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            X500Name name = new X500Name("CN=localhost,O=Gatewise demo");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(VALIDITY)), name, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                        new GeneralName(GeneralName.iPAddress, "::1")}));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            DemoCertificate files = new DemoCertificate(folder.resolve("localhost.crt"), folder.resolve("localhost.key"));
            Files.writeString(files.privateKey(), pem(new JcaPKCS8Generator(keys.getPrivate(), null)),
                    StandardCharsets.US_ASCII);
            Files.writeString(files.certificate(), pem(certificate), StandardCharsets.US_ASCII);
            for (Path path : new Path[] {folder, files.certificate(), files.privateKey()}) {
                path.toFile().deleteOnExit();
            }
            return files;
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make the demo's certificate", e);
        }
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }
}
