package io.gatewise.server;

import io.gatewise.config.PemKeyPair;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jetty.util.ssl.SniX509ExtendedKeyManager;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.ssl.X509;

/**
 * The in-memory key store a TLS listener serves from: one key entry per configured certificate,
 * under the alias {@code certificate-N} for the N-th (from 0), and how a handshake picks one.
 *
 * <p>The pick ({@link #select}): a client's SNI name chooses the certificates that hold it, an
 * exact name before a wildcard, then the first configured; a client without SNI, or with a name
 * no certificate holds, gets the first certificate (set as Jetty's certificate alias), provided
 * it accepts that certificate's key type.
 */
final class ListenerKeyStore {
    private static final String ALIAS_PREFIX = "certificate-";
    private static final Comparator<X509> CONFIGURED_ORDER = Comparator.comparingInt(x509 -> index(x509.getAlias()));

    /** The key store's and its entries' password: made anew for each listener, never stored. */
    private final String password;

    ListenerKeyStore() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        this.password = HexFormat.of().formatHex(random);
    }

    /** @return the key store's password, for {@link SslContextFactory#setKeyStorePassword} */
    String password() {
        return password;
    }

    /**
     * @param index a certificate's place in {@code gateway.tls.certificates}
     * @return its alias in the key store
     */
    static String alias(int index) {
        return ALIAS_PREFIX + index;
    }

    private static int index(String alias) {
        try {
            return Integer.parseInt(alias.substring(ALIAS_PREFIX.length()));
        } catch (RuntimeException e) {
            return Integer.MAX_VALUE;
        }
    }

    /**
     * @param pairs the certificates, in configured order
     * @return a new PKCS12 key store in memory holding them
     */
    KeyStore of(List<PemKeyPair> pairs) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < pairs.size(); i++) {
                PemKeyPair pair = pairs.get(i);
                store.setKeyEntry(alias(i), pair.privateKey(), password.toCharArray(),
                        pair.chain().toArray(new X509Certificate[0]));
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            // Each pair was read and checked: an in-memory store takes any key with its chain.
            throw new IllegalStateException("cannot build the TLS listener's key store", e);
        }
    }

    /**
     * Sets the key store on a factory, and how it picks a certificate.
     *
     * @param factory the listener's factory, not started
     * @param store the key store from {@link #of}
     */
    void configure(SslContextFactory.Server factory, KeyStore store) {
        factory.setKeyStore(store);
        factory.setKeyStorePassword(password);
        factory.setKeyManagerPassword(password);
        factory.setCertAlias(alias(0));
        factory.setSNISelector((keyType, issuers, session, sniHost, certificates) ->
                select(factory, sniHost, certificates));
    }

    /**
     * Jetty asks this for each key type the handshake allows.
     *
     * @param factory the listener's factory, which knows every certificate
     * @param sniHost the name the client sent, null for none
     * @param certificates the certificates of the key type asked for
     * @return the alias to serve; {@link SniX509ExtendedKeyManager.SniSelector#DELEGATE} for the
     *     first certificate; null when a certificate of another key type holds the name
     */
    static String select(SslContextFactory.Server factory, String sniHost, Collection<X509> certificates) {
        if (sniHost == null) {
            return SniX509ExtendedKeyManager.SniSelector.DELEGATE;
        }
        String host = sniHost.toLowerCase(Locale.ROOT);
        Optional<X509> exact = certificates.stream().filter(x509 -> x509.getHosts().contains(host))
                .min(CONFIGURED_ORDER);
        if (exact.isPresent()) {
            return exact.get().getAlias();
        }
        Optional<X509> wildcard = certificates.stream().filter(x509 -> x509.matches(host)).min(CONFIGURED_ORDER);
        if (wildcard.isPresent()) {
            return wildcard.get().getAlias();
        }
        boolean otherKeyType = factory.getAliases().stream().map(factory::getX509)
                .anyMatch(x509 -> x509 != null && x509.matches(host));
        return otherKeyType ? null : SniX509ExtendedKeyManager.SniSelector.DELEGATE;
    }
}
