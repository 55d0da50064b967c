package io.gatewise.server;

import io.gatewise.config.CertificateConfig;
import io.gatewise.config.ConfigException;
import io.gatewise.config.ConfigSource;
import io.gatewise.config.PemKeyPair;
import io.gatewise.observe.ListenerCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificates a TLS listener serves, read again whenever their files change on disk.
 *
 * <p>At start each pair of {@code gateway.tls.certificates} is read and checked; one that cannot
 * be served stops the start with a {@link ConfigException} naming its key and file. Running, a
 * {@link CertificateFilesWatcher} calls {@link #checkFiles()} after changes: a pair whose files'
 * bytes differ from those last seen is read again. A good pair replaces the one served, through
 * {@link SslContextFactory#reload}: new handshakes get it, open connections keep theirs. A bad one
 * (missing, unreadable, not PEM, half written, a key that is not the certificate's) is refused
 * with a WARN naming its key, its file and the problem, and the pair loaded before keeps serving;
 * when the files change again they are read again. What is served is published to
 * {@link ListenerCertificates}, for the expiry meter and alert.
 */
final class CertificateReloader extends AbstractLifeCycle {
    /** How long the folders must be quiet after an event: long enough to take in a symlink swap. */
    static final Duration QUIET_PERIOD = Duration.ofMillis(500);
    /** How often the files are compared when no event comes, for file systems that send none. */
    static final Duration RECHECK_INTERVAL = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(CertificateReloader.class);
    private static final String CONFIG_KEY = "gateway.tls.certificates";

    private final String listener;
    private final List<CertificateConfig> entries;
    private final SslContextFactory.Server factory;
    private final ListenerKeyStore keyStore = new ListenerKeyStore();
    private final ListenerCertificates published;
    /** What each entry serves now; guarded by this. */
    private final List<PemKeyPair> serving = new ArrayList<>();
    /** Each entry's files' bytes as last seen, served or refused; guarded by this. */
    private final List<String> seen = new ArrayList<>();
    private CertificateFilesWatcher watcher;

    /**
     * Reads every pair and puts them in the factory.
     *
     * @param listener the listener's name, for the logs and the meter
     * @param entries the configured certificates
     * @param factory the listener's factory, not started
     * @param published where what is served is published
     * @throws ConfigException naming {@code gateway.tls.certificates[N].certificate} or
     *     {@code .privateKey}, the file and the problem, if a pair cannot be served
     */
    CertificateReloader(String listener, List<CertificateConfig> entries, SslContextFactory.Server factory,
            ListenerCertificates published) {
        this.listener = listener;
        this.entries = List.copyOf(entries);
        this.factory = factory;
        this.published = published;
        for (int i = 0; i < this.entries.size(); i++) {
            CertificateConfig entry = this.entries.get(i);
            String digest = digest(entry);
            try {
                serving.add(entry.read());
            } catch (PemKeyPair.UnusableException e) {
                throw ConfigException.invalid(key(i, e), e.problem());
            }
            seen.add(digest);
        }
        keyStore.configure(factory, keyStore.of(serving));
    }

    @Override
    protected void doStart() throws Exception {
        publish();
        List<Path> files = new ArrayList<>();
        entries.forEach(entry -> {
            files.add(entry.certificate());
            files.add(entry.privateKey());
        });
        try {
            watcher = new CertificateFilesWatcher(files, QUIET_PERIOD, RECHECK_INTERVAL, this::checkFiles);
            LOG.info("TLS listener {}: serving {}; watching their files for changes", listener, describeServing());
        } catch (IOException e) {
            LOG.warn("TLS listener {}: cannot watch the certificate files {}; changes to them need a restart",
                    listener, files, e);
        }
    }

    @Override
    protected void doStop() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
        published.replace(listener, List.of());
    }

    /**
     * Reads again each pair whose files changed since last seen; serves the good ones, refuses the
     * bad ones with a WARN. Runs on the watcher's thread.
     */
    synchronized void checkFiles() {
        List<PemKeyPair> next = new ArrayList<>(serving);
        boolean replaced = false;
        for (int i = 0; i < entries.size(); i++) {
            CertificateConfig entry = entries.get(i);
            String digest = digest(entry);
            if (digest.equals(seen.get(i))) {
                continue;
            }
            seen.set(i, digest);
            X509Certificate before = serving.get(i).leaf();
            try {
                PemKeyPair pair = entry.read();
                next.set(i, pair);
                replaced = true;
                LOG.info("TLS listener {}: {} reloaded: now serving {} (serial {}, valid until {}) in place of serial {}",
                        listener, CONFIG_KEY + "[" + i + "]", subject(pair.leaf()), serial(pair.leaf()),
                        pair.leaf().getNotAfter().toInstant(), serial(before));
            } catch (PemKeyPair.UnusableException e) {
                LOG.warn("TLS listener {}: {}: {}; still serving the certificate loaded before: {} (serial {}, valid"
                        + " until {})", listener, key(i, e), e.problem(), subject(before), serial(before),
                        before.getNotAfter().toInstant());
            }
        }
        if (!replaced) {
            return;
        }
        try {
            factory.reload(reloading -> reloading.setKeyStore(keyStore.of(next)));
        } catch (Exception e) {
            LOG.error("TLS listener {}: the reloaded certificates could not be put in use; serving those before",
                    listener, e);
            try {
                factory.reload(reloading -> reloading.setKeyStore(keyStore.of(serving)));
            } catch (Exception again) {
                LOG.error("TLS listener {}: the certificates before could not be put back either", listener, again);
            }
            return;
        }
        serving.clear();
        serving.addAll(next);
        publish();
    }

    private void publish() {
        List<ListenerCertificates.Served> served = new ArrayList<>();
        synchronized (this) {
            for (int i = 0; i < serving.size(); i++) {
                X509Certificate leaf = serving.get(i).leaf();
                served.add(new ListenerCertificates.Served(listener, CONFIG_KEY + "[" + i + "]", subject(leaf),
                        serial(leaf), leaf.getNotAfter().toInstant(), entries.get(i).certificate().toString()));
            }
        }
        published.replace(listener, served);
    }

    private String describeServing() {
        List<String> described = new ArrayList<>();
        synchronized (this) {
            for (PemKeyPair pair : serving) {
                described.add(subject(pair.leaf()) + " (serial " + serial(pair.leaf()) + ", valid until "
                        + pair.leaf().getNotAfter().toInstant() + ")");
            }
        }
        return String.join(", ", described);
    }

    private static String key(int index, PemKeyPair.UnusableException e) {
        return CONFIG_KEY + "[" + index + "]." + e.part().key();
    }

    /** The bytes of both files, as a digest: a symlink swap changes it, a touch does not. */
    private static String digest(CertificateConfig entry) {
        return digest(entry.certificate()) + "/" + digest(entry.privateKey());
    }

    private static String digest(Path file) {
        try {
            return ConfigSource.digest(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return "missing";
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    /**
     * @param leaf a certificate
     * @return its subject's common name, else its whole subject as RFC 2253 writes it
     */
    static String subject(X509Certificate leaf) {
        String name = leaf.getSubjectX500Principal().getName();
        try {
            for (Rdn rdn : new LdapName(name).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return String.valueOf(rdn.getValue());
                }
            }
        } catch (InvalidNameException e) {
            // Shown whole below.
        }
        return name;
    }

    /**
     * @param certificate a certificate
     * @return its serial number in hex
     */
    static String serial(X509Certificate certificate) {
        return certificate.getSerialNumber().toString(16);
    }
}
