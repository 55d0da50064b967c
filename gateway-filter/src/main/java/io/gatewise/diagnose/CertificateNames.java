package io.gatewise.diagnose;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Whether a certificate names a host, read from its subject alternative names as RFC 6125 has
 * it: DNS names for a host name (a wildcard covers exactly one leftmost label), IP addresses for an
 * address literal. The handshake's own check stays the judge; this one only says it in the detail.
 */
final class CertificateNames {
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    private CertificateNames() {
    }

    /** @return the subject alternative names, such as {@code DNS:orders.internal} or {@code IP:10.0.0.5} */
    static List<String> of(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        for (List<?> name : alternativeNames(certificate)) {
            int type = (Integer) name.get(0);
            if (type == DNS_NAME || type == IP_ADDRESS) {
                names.add((type == DNS_NAME ? "DNS:" : "IP:") + name.get(1));
            }
        }
        return names;
    }

    static boolean matches(X509Certificate certificate, String host) {
        boolean literal = isAddressLiteral(host);
        for (List<?> name : alternativeNames(certificate)) {
            int type = (Integer) name.get(0);
            String value = String.valueOf(name.get(1));
            if (literal && type == IP_ADDRESS && sameAddress(host, value)
                    || !literal && type == DNS_NAME && dnsMatches(host, value)) {
                return true;
            }
        }
        return false;
    }

    static boolean isAddressLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    }

    private static Collection<List<?>> alternativeNames(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            return names == null ? List.of() : names;
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    private static boolean sameAddress(String host, String value) {
        try {
            // Both are literals: no lookup happens.
            return InetAddress.getByName(host).equals(InetAddress.getByName(value));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean dnsMatches(String host, String pattern) {
        String name = host.toLowerCase(Locale.ROOT);
        String wanted = pattern.toLowerCase(Locale.ROOT);
        if (!wanted.startsWith("*.")) {
            return name.equals(wanted);
        }
        int dot = name.indexOf('.');
        return dot > 0 && name.substring(dot).equals(wanted.substring(1));
    }
}
