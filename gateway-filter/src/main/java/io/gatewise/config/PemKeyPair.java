package io.gatewise.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A certificate chain and its private key, read from two PEM files: what a TLS listener serves.
 *
 * <p>The certificate file holds the chain, leaf first (further blocks of other kinds are ignored).
 * The key file holds one unencrypted private key as PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1
 * ({@code BEGIN RSA PRIVATE KEY}) or SEC1 ({@code BEGIN EC PRIVATE KEY}, with or without its
 * {@code EC PARAMETERS} block). The key must be the leaf's: a signature made with it must verify
 * with the leaf's public key. Reading needs Bouncy Castle's {@code bcpkix} on the class path (the
 * executable jar has it); it is never registered as a JCA provider.
 *
 * @param chain the certificates, leaf first
 * @param privateKey the leaf's private key
 */
public record PemKeyPair(List<X509Certificate> chain, PrivateKey privateKey) {
    /** The most bytes a PEM file of a chain or a key may have: a long chain is a few tens of KB. */
    private static final long MAX_FILE_BYTES = 1024 * 1024;

    /** Copies the chain; checks nothing else (see {@link #read}). */
    public PemKeyPair {
        chain = List.copyOf(chain);
        Objects.requireNonNull(privateKey, "privateKey");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain: empty (expected: the leaf certificate first)");
        }
    }

    /** @return the certificate the chain starts with: the one clients check against their host name */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** Which of the two files a problem is in. */
    public enum Part {
        /** The certificate file, the key {@code certificate}. */
        CERTIFICATE("certificate"),
        /** The key file, the key {@code privateKey}. */
        PRIVATE_KEY("privateKey");

        private final String key;

        Part(String key) {
            this.key = key;
        }

        /** @return its config key: {@code certificate} or {@code privateKey} */
        public String key() {
            return key;
        }
    }

    /** A pair that cannot be served: which file, and what is wrong with it. */
    public static final class UnusableException extends Exception {
        private static final long serialVersionUID = 1L;

        private final Part part;
        private final transient Path file;
        private final String problem;

        UnusableException(Part part, Path file, String problem, Throwable cause) {
            super(part.key() + ": " + ConfigValues.quote(file.toString()) + " " + problem, cause);
            this.part = part;
            this.file = file;
            this.problem = ConfigValues.quote(file.toString()) + " " + problem;
        }

        /** @return the file at fault */
        public Part part() {
            return part;
        }

        /** @return the path of the file at fault, as configured */
        public Path file() {
            return file;
        }

        /** @return the file's path and what is wrong: {@code "/tls/a.crt" holds no certificate (expected: ...)} */
        public String problem() {
            return problem;
        }
    }

    /**
     * Reads and checks a pair.
     *
     * @param certificate the PEM file of the chain, leaf first
     * @param privateKey the PEM file of the leaf's private key
     * @return the pair
     * @throws UnusableException naming the file at fault and the problem: missing, unreadable, not
     *     PEM (or cut short), no certificate, no key or an encrypted one, or a key that is not the
     *     leaf's
     */
    public static PemKeyPair read(Path certificate, Path privateKey) throws UnusableException {
        try {
            List<X509Certificate> chain = readChain(certificate);
            PrivateKey key = readKey(privateKey);
            checkMatch(chain.get(0), key, privateKey);
            return new PemKeyPair(chain, key);
        } catch (NoClassDefFoundError e) {
            throw new UnusableException(Part.CERTIFICATE, certificate, "cannot be read without Bouncy Castle's"
                    + " bcpkix on the class path (expected: bcpkix-jdk18on beside the gateway; the executable jar"
                    + " has it)", e);
        }
    }

    private static List<X509Certificate> readChain(Path file) throws UnusableException {
        String text = readText(Part.CERTIFICATE, file);
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
                if (block instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new UnusableException(Part.CERTIFICATE, file, "is not a readable PEM certificate chain: "
                    + firstLine(e) + " (expected: PEM certificates, the leaf first; a file still being written"
                    + " reads as cut short)", e);
        }
        if (chain.isEmpty()) {
            throw new UnusableException(Part.CERTIFICATE, file, "holds no certificate (expected: PEM blocks"
                    + " -----BEGIN CERTIFICATE-----, the leaf first)", null);
        }
        return chain;
    }

    private static PrivateKey readKey(Path file) throws UnusableException {
        String text = readText(Part.PRIVATE_KEY, file);
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        PrivateKey key = null;
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
                PrivateKey found;
                if (block instanceof PrivateKeyInfo info) {
                    found = converter.getPrivateKey(info);
                } else if (block instanceof PEMKeyPair pair) {
                    // PKCS#1 or SEC1; a SEC1 key may lack its public half, which is not needed here.
                    found = converter.getPrivateKey(pair.getPrivateKeyInfo());
                } else if (block instanceof PEMEncryptedKeyPair || block instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new UnusableException(Part.PRIVATE_KEY, file, "holds an encrypted key (expected: an"
                            + " unencrypted PKCS#8, PKCS#1 or SEC1 key; protect the file, not the key)", null);
                } else {
                    // Such as the EC PARAMETERS block a SEC1 file may start with: the key repeats the curve.
                    continue;
                }
                if (key != null) {
                    throw new UnusableException(Part.PRIVATE_KEY, file, "holds more than one private key"
                            + " (expected: the leaf certificate's key only)", null);
                }
                key = found;
            }
        } catch (UnusableException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new UnusableException(Part.PRIVATE_KEY, file, "is not a readable PEM private key: " + firstLine(e)
                    + " (expected: a PKCS#8, PKCS#1 or SEC1 key in PEM; a file still being written reads as cut"
                    + " short)", e);
        }
        if (key == null) {
            throw new UnusableException(Part.PRIVATE_KEY, file, "holds no private key (expected: a PEM block"
                    + " -----BEGIN PRIVATE KEY-----, BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY)", null);
        }
        return key;
    }

    /** The key is the leaf's when a signature it makes verifies with the leaf's public key. */
    private static void checkMatch(X509Certificate leaf, PrivateKey key, Path keyFile) throws UnusableException {
        PublicKey publicKey = leaf.getPublicKey();
        String mismatch = "is not the key of the certificate's leaf " + ConfigValues.quote(
                leaf.getSubjectX500Principal().getName()) + " (expected: the private key that goes with the first"
                + " certificate of the chain)";
        if (!publicKey.getAlgorithm().equals(key.getAlgorithm())) {
            throw new UnusableException(Part.PRIVATE_KEY, keyFile, "is an " + key.getAlgorithm() + " key where the"
                    + " certificate holds an " + publicKey.getAlgorithm() + " key: it " + mismatch, null);
        }
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            throw new UnusableException(Part.PRIVATE_KEY, keyFile, "is an " + key.getAlgorithm() + " key (expected:"
                    + " an RSA, EC or EdDSA key)", null);
        }
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new UnusableException(Part.PRIVATE_KEY, keyFile, mismatch, null);
            }
        } catch (GeneralSecurityException e) {
            throw new UnusableException(Part.PRIVATE_KEY, keyFile, mismatch + ": " + firstLine(e), e);
        }
    }

    private static String readText(Part part, Path file) throws UnusableException {
        try {
            if (Files.isDirectory(file)) {
                throw new UnusableException(part, file, "is a folder (expected: a PEM file)", null);
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new UnusableException(part, file, "has " + Files.size(file) + " bytes (expected: a PEM file"
                        + " of at most " + MAX_FILE_BYTES + " bytes)", null);
            }
            return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new UnusableException(part, file, "does not exist (expected: a readable PEM file)", e);
        } catch (AccessDeniedException e) {
            throw new UnusableException(part, file, "cannot be read: permission denied (expected: a PEM file the"
                    + " gateway's user can read)", e);
        } catch (IOException e) {
            throw new UnusableException(part, file, "cannot be read: " + firstLine(e) + " (expected: a readable PEM"
                    + " file)", e);
        }
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** Keeps readers of a text from seeing a key: only the chain is shown. */
    @Override
    public String toString() {
        return "{leaf: " + leaf().getSubjectX500Principal().getName() + ", chain: " + chain.size()
                + " certificate(s)}";
    }
}
