package lab.devicetwins.localhub.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import lab.devicetwins.localhub.auth.DeviceAuthenticationException.Reason;
import lab.devicetwins.localhub.registry.Authentication;
import lab.devicetwins.localhub.sdk.TestCertificates;
import lab.devicetwins.localhub.sdk.TestCertificates.Issued;
import lab.devicetwins.localhub.tls.DevelopmentCertificates;
import lab.devicetwins.localhub.tls.DeviceCertificate;
import org.junit.jupiter.api.Test;

class ClientCertificateCheckTest {
    private static final Issued E2E_CERT = TestCertificates.selfSigned();
    private static final Issued OTHER_CERT = TestCertificates.selfSigned();
    private static final Issued CA = TestCertificates.certificateAuthority("trusted test CA");
    private static final Issued STRANGER_CA = TestCertificates.certificateAuthority("stranger CA");
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Authentication.CertificateAuthority CA_SIGNED = new Authentication.CertificateAuthority();

    private final ClientCertificateCheck check = new ClientCertificateCheck(List.of(CA.certificate()));

    private static Authentication.SelfSigned thumbprints(String primary, String secondary) {
        return new Authentication.SelfSigned(primary, secondary);
    }

    private DeviceAuthenticationException refusal(String id, Authentication authentication, List<X509Certificate> chain) {
        return catchThrowableOfType(DeviceAuthenticationException.class,
                () -> check.check(id, authentication, chain, NOW));
    }

    @Test
    void a_self_signed_certificate_without_a_cn_proves_a_device_by_its_primary_sha1_thumbprint() {
        Instant until = check.check("dev1", thumbprints(TestCertificates.sha1(E2E_CERT.certificate()), null),
                List.of(E2E_CERT.certificate()), NOW);

        assertThat(until).isEqualTo(E2E_CERT.certificate().getNotAfter().toInstant());
    }

    @Test
    void the_secondary_thumbprint_proves_it_too() {
        check.check("dev1", thumbprints(TestCertificates.sha1(OTHER_CERT.certificate()),
                TestCertificates.sha1(E2E_CERT.certificate())), List.of(E2E_CERT.certificate()), NOW);
    }

    @Test
    void an_upper_case_sha256_thumbprint_proves_it() {
        String sha256 = TestCertificates.sha256(E2E_CERT.certificate()).toUpperCase(Locale.ROOT);

        check.check("dev1", thumbprints(sha256, null), List.of(E2E_CERT.certificate()), NOW);
    }

    @Test
    void another_certificate_than_the_registered_one_is_refused_with_both_of_its_thumbprints_in_the_reason() {
        DeviceAuthenticationException refused = refusal("dev1",
                thumbprints(TestCertificates.sha1(OTHER_CERT.certificate()), null), List.of(E2E_CERT.certificate()));

        assertThat(refused.reason()).isEqualTo(Reason.BAD_CREDENTIALS);
        assertThat(refused).hasMessageContaining(TestCertificates.sha1(E2E_CERT.certificate()))
                .hasMessageContaining(TestCertificates.sha256(E2E_CERT.certificate()));
    }

    @Test
    void an_expired_or_not_yet_valid_self_signed_certificate_is_refused_even_with_the_right_thumbprint() {
        Issued expired = TestCertificates.selfSigned(TestCertificates.E2E_SUBJECT, NOW.minus(Duration.ofDays(2)),
                NOW.minus(Duration.ofDays(1)));
        Issued future = TestCertificates.selfSigned(TestCertificates.E2E_SUBJECT, NOW.plus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(2)));

        for (Issued cert : List.of(expired, future)) {
            DeviceAuthenticationException refused = refusal("dev1",
                    thumbprints(TestCertificates.sha1(cert.certificate()), null), List.of(cert.certificate()));
            assertThat(refused.reason()).isEqualTo(Reason.CERTIFICATE_EXPIRED);
        }
    }

    @Test
    void no_certificate_is_refused_for_x509_identities() {
        assertThat(refusal("dev1", thumbprints("0".repeat(40), null), List.of()).reason())
                .isEqualTo(Reason.NO_CERTIFICATE);
        assertThat(refusal("dev1", CA_SIGNED, List.of()).reason()).isEqualTo(Reason.NO_CERTIFICATE);
    }

    @Test
    void a_certificate_never_proves_a_sas_or_a_none_identity() {
        String sha1 = TestCertificates.sha1(E2E_CERT.certificate());
        for (Authentication authentication : List.of(new Authentication.SymmetricKey("a2V5", "a2V5"),
                new Authentication.None())) {
            assertThat(refusal(sha1, authentication, List.of(E2E_CERT.certificate())).reason())
                    .isEqualTo(Reason.NOT_AUTHORIZED);
        }
    }

    @Test
    void a_certificate_signed_by_a_trusted_ca_with_the_device_id_as_cn_proves_it_until_the_first_expiry_on_the_path() {
        Issued leaf = TestCertificates.signedBy(CA, "CN=thermostat-7, O=Contoso");

        Instant until = check.check("thermostat-7", CA_SIGNED, List.of(leaf.certificate()), NOW);

        assertThat(until).isEqualTo(leaf.certificate().getNotAfter().toInstant());
    }

    @Test
    void the_chain_may_carry_the_ca_and_an_intermediate_the_hub_does_not_know() {
        Issued intermediate = TestCertificates.signedByAsCa(CA, "intermediate");
        Issued leaf = TestCertificates.signedBy(intermediate, "CN=dev-behind-intermediate");

        check.check("dev-behind-intermediate", CA_SIGNED,
                List.of(leaf.certificate(), intermediate.certificate(), CA.certificate()), NOW);
    }

    @Test
    void a_module_identity_is_checked_against_its_full_id_as_cn() {
        Issued leaf = TestCertificates.signedBy(CA, "CN=dev1/filter");

        check.check("dev1/filter", CA_SIGNED, List.of(leaf.certificate()), NOW);
        assertThat(refusal("dev1", CA_SIGNED, List.of(leaf.certificate())).reason()).isEqualTo(Reason.BAD_CREDENTIALS);
    }

    @Test
    void a_development_ca_certificate_proves_device_ids_with_the_punctuation_ids_allow() {
        DevelopmentCertificates development = DevelopmentCertificates.loadOrCreate(null, List.of());
        ClientCertificateCheck trustingDevelopmentCa = new ClientCertificateCheck(List.of(development.caCertificate()));
        String id = "a+b,c=d;ef#g*h?i!(j)@k$l'm:n%o_p.q-r";

        DeviceCertificate issued = development.issueDeviceCertificate(id);

        trustingDevelopmentCa.check(id, CA_SIGNED, issued.chain(), Instant.now());
        assertThat(issued.chain()).hasSize(2);
        assertThat(issued.key().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void a_cn_other_than_the_device_id_or_no_cn_is_refused() {
        Issued other = TestCertificates.signedBy(CA, "CN=Dev1");
        Issued none = TestCertificates.signedBy(CA, "O=Contoso");

        assertThat(refusal("dev1", CA_SIGNED, List.of(other.certificate()))).hasMessageContaining("CN Dev1");
        assertThat(refusal("dev1", CA_SIGNED, List.of(none.certificate()))).hasMessageContaining("no CN");
    }

    @Test
    void a_certificate_from_a_ca_the_hub_does_not_trust_is_refused_even_when_the_client_sends_that_ca() {
        Issued leaf = TestCertificates.signedBy(STRANGER_CA, "CN=dev1");

        DeviceAuthenticationException refused = refusal("dev1", CA_SIGNED,
                List.of(leaf.certificate(), STRANGER_CA.certificate()));

        assertThat(refused.reason()).isEqualTo(Reason.BAD_CREDENTIALS);
        assertThat(refused).hasMessageContaining("does not lead to a CA this hub trusts");
    }

    @Test
    void a_self_signed_certificate_with_the_device_id_as_cn_is_not_ca_signed() {
        Issued self = TestCertificates.selfSigned("CN=dev1", NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofHours(1)));

        assertThat(refusal("dev1", CA_SIGNED, List.of(self.certificate())).reason()).isEqualTo(Reason.BAD_CREDENTIALS);
    }

    @Test
    void an_expired_ca_signed_certificate_is_refused() {
        Issued leaf = TestCertificates.signedBy(CA, "CN=dev1", NOW.minus(Duration.ofHours(2)), NOW.minus(Duration.ofHours(1)));

        assertThat(refusal("dev1", CA_SIGNED, List.of(leaf.certificate())).reason()).isEqualTo(Reason.CERTIFICATE_EXPIRED);
    }

    @Test
    void a_hub_that_trusts_no_ca_refuses_every_ca_signed_certificate() {
        Issued leaf = TestCertificates.signedBy(CA, "CN=dev1");

        DeviceAuthenticationException refused = catchThrowableOfType(DeviceAuthenticationException.class,
                () -> new ClientCertificateCheck(List.of()).check("dev1", CA_SIGNED, List.of(leaf.certificate()), NOW));

        assertThat(refused).hasMessageContaining("trusts no CA");
    }
}
