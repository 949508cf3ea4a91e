package lab.devicetwins.localhub.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DevelopmentCertificatesTest {

    static final List<String> HOSTS = List.of("MyHub.azure-devices.net", "192.168.1.20", "[fe80::1]");
    final DevelopmentCertificates certificates = DevelopmentCertificates.loadOrCreate(null, HOSTS);

    @Test
    void the_server_certificate_names_loopback_and_every_given_host_with_the_right_san_type() {
        Set<String> sans = subjectAlternativeNames(certificates.serverCertificate());

        assertThat(sans).containsExactlyInAnyOrder("IP 127.0.0.1", "IP 0:0:0:0:0:0:0:1", "DNS localhost",
                "DNS myhub.azure-devices.net", "IP 192.168.1.20", "IP fe80:0:0:0:0:0:0:1");
    }

    @Test
    void the_ca_is_a_ten_year_rsa_2048_certificate_authority_that_signs_certificates() throws Exception {
        X509Certificate ca = certificates.caCertificate();

        assertThat(ca.getSubjectX500Principal().getName(X500Principal.RFC2253))
                .contains("CN=Device Twins Lab Local Hub Development CA");
        assertThat(ca.getSubjectX500Principal()).isEqualTo(ca.getIssuerX500Principal());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(((RSAPublicKey) ca.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
        assertThat(Duration.between(ca.getNotBefore().toInstant(), ca.getNotAfter().toInstant()).toDays())
                .isBetween(3652L, 3654L);
        ca.verify(ca.getPublicKey());
    }

    @Test
    void the_server_certificate_is_a_one_year_server_auth_end_entity_certificate() throws Exception {
        X509Certificate server = certificates.serverCertificate();

        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(server.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(server.getKeyUsage()[5]).as("keyCertSign").isFalse();
        assertThat(Duration.between(server.getNotBefore().toInstant(), server.getNotAfter().toInstant()).toDays())
                .isBetween(365L, 366L);
        assertThat(server.getIssuerX500Principal()).isEqualTo(certificates.caCertificate().getSubjectX500Principal());
    }

    @Test
    void the_server_chain_validates_against_the_ca_with_a_pkix_validator() throws Exception {
        validate(List.of(certificates.serverCertificate()), certificates.caCertificate());
    }

    @Test
    void the_server_chain_does_not_validate_against_another_ca() throws Exception {
        X509Certificate otherCa = CertificateAuthority.create(Instant.now()).certificate();

        assertThatThrownBy(() -> validate(List.of(certificates.serverCertificate()), otherCa))
                .isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void the_server_key_store_holds_the_key_and_the_chain_under_the_documented_password() throws Exception {
        KeyStore store = certificates.serverKeyStore();

        assertThat(store.getType()).isEqualToIgnoringCase("PKCS12");
        assertThat(certificates.keyStorePassword()).containsExactly("localhub".toCharArray());
        assertThat(store.getKey("localhub", certificates.keyStorePassword())).isInstanceOf(PrivateKey.class);
        assertThat(store.getCertificateChain("localhub"))
                .containsExactly(certificates.serverCertificate(), certificates.caCertificate());
    }

    @Test
    void the_trust_store_holds_only_the_ca() throws Exception {
        KeyStore store = certificates.trustStore();

        List<String> aliases = Collections.list(store.aliases());
        assertThat(aliases).hasSize(1);
        assertThat(store.isCertificateEntry(aliases.get(0))).isTrue();
        assertThat(store.getCertificate(aliases.get(0))).isEqualTo(certificates.caCertificate());
    }

    @Test
    void the_pem_reads_back_to_the_ca_certificate() throws Exception {
        Certificate read = CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificates.caPem().getBytes()));

        assertThat(certificates.caPem()).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
        assertThat(read).isEqualTo(certificates.caCertificate());
    }

    @Test
    void in_memory_certificates_are_shared_for_the_same_host_names_in_any_order_or_case() {
        DevelopmentCertificates again = DevelopmentCertificates.loadOrCreate(null,
                List.of("fe80:0:0:0:0:0:0:1", "192.168.1.20", "myhub.AZURE-devices.net", "localhost"));

        assertThat(again).isSameAs(certificates);
        assertThat(again.caPemFile()).isEmpty();
        assertThat(again.serverKeyStoreFile()).isEmpty();
        assertThat(again.trustStoreFile()).isEmpty();
    }

    @Test
    void other_host_names_get_their_own_server_certificate_from_the_same_ca() {
        DevelopmentCertificates other = DevelopmentCertificates.loadOrCreate(null, List.of("other.example"));

        assertThat(other.caCertificate()).isEqualTo(certificates.caCertificate());
        assertThat(other.serverCertificate()).isNotEqualTo(certificates.serverCertificate());
        assertThat(subjectAlternativeNames(other.serverCertificate())).contains("DNS other.example")
                .doesNotContain("DNS myhub.azure-devices.net");
    }

    @ParameterizedTest
    @ValueSource(strings = {"my hub", "https://myhub", "myhub:443", "", "a/b"})
    void a_host_name_that_is_neither_dns_nor_ip_is_refused(String host) {
        assertThatThrownBy(() -> DevelopmentCertificates.loadOrCreate(null, List.of(host)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + host + "'");
    }

    static Set<String> subjectAlternativeNames(X509Certificate certificate) {
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            return sans.stream()
                    .map(san -> (Integer.valueOf(7).equals(san.get(0)) ? "IP " : "DNS ") + san.get(1))
                    .collect(Collectors.toSet());
        } catch (CertificateParsingException e) {
            throw new AssertionError(e);
        }
    }

    static void validate(List<X509Certificate> chain, X509Certificate anchor) throws Exception {
        CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(chain);
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(path, parameters);
    }
}
