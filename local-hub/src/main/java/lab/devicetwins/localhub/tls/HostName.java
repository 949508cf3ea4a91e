package lab.devicetwins.localhub.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.util.IPAddress;

/**
 * A name a client may use to reach the hub, as it must appear in the server certificate: an IP address (IP SAN,
 * which is what TLS clients check for {@code 127.0.0.1}) or a DNS name (DNS SAN).
 */
record HostName(boolean ip, String canonical) {

    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;
    private static final Pattern DNS_NAME = Pattern.compile("(\\*\\.)?[a-z0-9_-]+(\\.[a-z0-9_-]+)*\\.?");

    /** The names every server certificate carries, so loopback clients work without configuration. */
    static final Set<HostName> LOOPBACK = Set.of(parse("127.0.0.1"), parse("::1"), parse("localhost"));

    /**
     * @param text a DNS name, an IPv4 literal or an IPv6 literal (brackets allowed)
     * @throws IllegalArgumentException if it is neither
     */
    static HostName parse(String text) {
        String trimmed = text.trim();
        String unbracketed = trimmed.startsWith("[") && trimmed.endsWith("]")
                ? trimmed.substring(1, trimmed.length() - 1) : trimmed;
        if (IPAddress.isValid(unbracketed)) {
            // a validated literal: getByName only parses it, it does not ask DNS
            return new HostName(true, canonicalIp(unbracketed));
        }
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (!DNS_NAME.matcher(lower).matches()) {
            throw new IllegalArgumentException("'" + text + "' is neither an IP address nor a DNS name, so the hub's "
                    + "certificate cannot name it");
        }
        return new HostName(false, lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower);
    }

    static Set<HostName> parseAll(Collection<String> texts) {
        Set<HostName> names = new HashSet<>();
        for (String text : texts) {
            names.add(parse(text));
        }
        return names;
    }

    /** The names in a certificate's subject alternative name extension. */
    static Set<HostName> inCertificate(X509Certificate certificate) {
        Set<HostName> names = new HashSet<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans == null) {
                return names;
            }
            for (List<?> san : sans) {
                Object type = san.get(0);
                Object value = san.get(1);
                if (Integer.valueOf(SAN_IP).equals(type) && value instanceof String address) {
                    names.add(new HostName(true, canonicalIp(address)));
                } else if (Integer.valueOf(SAN_DNS).equals(type) && value instanceof String dns) {
                    names.add(new HostName(false, dns.toLowerCase(Locale.ROOT)));
                }
            }
        } catch (CertificateParsingException e) {
            // an unreadable extension covers nothing; the caller then issues a fresh certificate
        }
        return names;
    }

    GeneralName toGeneralName() {
        return new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, canonical);
    }

    private static String canonicalIp(String literal) {
        try {
            return InetAddress.getByName(literal).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + literal + "' is not an IP address", e);
        }
    }

    @Override
    public String toString() {
        return canonical;
    }
}
