package lab.devicetwins.localhub.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/** The hub's TLS server key and the certificate the development CA issued for it. */
record ServerCredential(PrivateKey key, X509Certificate certificate) {

    boolean covers(Set<HostName> names) {
        return HostName.inCertificate(certificate).containsAll(names);
    }

    /** Whether the certificate is already valid and stays valid for at least {@code margin} after {@code now}. */
    boolean validFor(Duration margin, Instant now) {
        return CertificateAuthority.validFor(certificate, margin, now);
    }
}
