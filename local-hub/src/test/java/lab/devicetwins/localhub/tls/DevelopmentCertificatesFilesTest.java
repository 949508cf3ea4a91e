package lab.devicetwins.localhub.tls;

import static lab.devicetwins.localhub.tls.DevelopmentCertificatesTest.subjectAlternativeNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DevelopmentCertificatesFilesTest {

    static final List<String> HOSTS = List.of("myhub.azure-devices.net");

    @TempDir
    Path dataDir;

    @Test
    void the_first_load_writes_the_four_files_under_tls() throws Exception {
        DevelopmentCertificates certificates = DevelopmentCertificates.loadOrCreate(dataDir, HOSTS);

        Path tls = dataDir.resolve("tls");
        assertThat(certificates.caPemFile()).contains(tls.resolve("ca.pem"));
        assertThat(certificates.serverKeyStoreFile()).contains(tls.resolve("server.p12"));
        assertThat(certificates.trustStoreFile()).contains(tls.resolve("truststore.p12"));
        assertThat(tls.resolve("ca-key.pem")).content().startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(tls.resolve("ca.pem")).hasContent(certificates.caPem().stripTrailing());
        try (var files = Files.list(tls)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("ca.pem", "ca-key.pem", "server.p12", "truststore.p12");
        }
    }

    @Test
    void the_key_stores_on_disk_open_with_the_documented_password() throws Exception {
        DevelopmentCertificates certificates = DevelopmentCertificates.loadOrCreate(dataDir, HOSTS);

        KeyStore trust = open(certificates.trustStoreFile().orElseThrow());
        KeyStore server = open(certificates.serverKeyStoreFile().orElseThrow());

        assertThat(trust.getCertificate("device-twins-lab-ca")).isEqualTo(certificates.caCertificate());
        assertThat(server.getCertificateChain("localhub"))
                .containsExactly(certificates.serverCertificate(), certificates.caCertificate());
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void files_with_private_keys_are_readable_by_the_owner_only() throws Exception {
        DevelopmentCertificates.loadOrCreate(dataDir, HOSTS);

        Path tls = dataDir.resolve("tls");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve("ca-key.pem")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve("server.p12")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve("ca.pem")))).isEqualTo("rw-r--r--");
    }

    @Test
    void a_second_load_reuses_the_ca_and_the_server_certificate() throws Exception {
        DevelopmentCertificates first = DevelopmentCertificates.loadOrCreate(dataDir, HOSTS);
        byte[] serverFile = Files.readAllBytes(dataDir.resolve("tls/server.p12"));

        DevelopmentCertificates second = DevelopmentCertificates.loadOrCreate(dataDir, List.of("MYHUB.azure-devices.net"));

        assertThat(second.caCertificate()).isEqualTo(first.caCertificate());
        assertThat(second.serverCertificate()).isEqualTo(first.serverCertificate());
        assertThat(Files.readAllBytes(dataDir.resolve("tls/server.p12"))).isEqualTo(serverFile);
    }

    @Test
    void a_new_host_name_re_issues_only_the_server_certificate_and_keeps_the_old_names() {
        DevelopmentCertificates first = DevelopmentCertificates.loadOrCreate(dataDir, HOSTS);

        DevelopmentCertificates second = DevelopmentCertificates.loadOrCreate(dataDir, List.of("10.0.0.5"));

        assertThat(second.caCertificate()).isEqualTo(first.caCertificate());
        assertThat(second.serverCertificate().getSerialNumber()).isNotEqualTo(first.serverCertificate().getSerialNumber());
        assertThat(subjectAlternativeNames(second.serverCertificate()))
                .contains("IP 10.0.0.5", "DNS myhub.azure-devices.net", "DNS localhost");
        assertThat(DevelopmentCertificates.loadOrCreate(dataDir, HOSTS).serverCertificate())
                .as("the re-issued certificate is the one on disk")
                .isEqualTo(second.serverCertificate());
    }

    @Test
    void a_server_certificate_with_less_than_30_days_left_is_re_issued_by_the_same_ca() {
        Instant start = Instant.now();
        DevelopmentCertificates first = DevelopmentCertificates.loadOrCreate(dataDir, HOSTS, Clock.fixed(start, ZoneOffset.UTC));

        DevelopmentCertificates at31DaysLeft = DevelopmentCertificates.loadOrCreate(dataDir, HOSTS,
                Clock.fixed(start.plus(Duration.ofDays(334)), ZoneOffset.UTC));
        DevelopmentCertificates at29DaysLeft = DevelopmentCertificates.loadOrCreate(dataDir, HOSTS,
                Clock.fixed(start.plus(Duration.ofDays(336)), ZoneOffset.UTC));

        assertThat(at31DaysLeft.serverCertificate()).isEqualTo(first.serverCertificate());
        assertThat(at29DaysLeft.serverCertificate()).isNotEqualTo(first.serverCertificate());
        assertThat(at29DaysLeft.caCertificate()).isEqualTo(first.caCertificate());
    }

    @Test
    void a_missing_trust_store_is_written_again() throws Exception {
        DevelopmentCertificates first = DevelopmentCertificates.loadOrCreate(dataDir, HOSTS);
        Files.delete(dataDir.resolve("tls/truststore.p12"));

        DevelopmentCertificates.loadOrCreate(dataDir, HOSTS);

        assertThat(open(dataDir.resolve("tls/truststore.p12")).getCertificate("device-twins-lab-ca")).isEqualTo(first.caCertificate());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ca.pem", "ca-key.pem", "server.p12", "truststore.p12"})
    void a_corrupt_file_is_named_with_the_way_to_recover(String file) throws Exception {
        DevelopmentCertificates.loadOrCreate(dataDir, HOSTS);
        Files.writeString(dataDir.resolve("tls").resolve(file), "this is not what it should be");

        assertThatThrownBy(() -> DevelopmentCertificates.loadOrCreate(dataDir, HOSTS))
                .isInstanceOf(DevelopmentCertificateException.class)
                .hasMessageContaining(dataDir.resolve("tls").resolve(file).toString())
                .hasMessageContaining("delete the tls directory to regenerate");
    }

    @Test
    void a_ca_key_that_belongs_to_another_certificate_is_refused() throws Exception {
        DevelopmentCertificates.loadOrCreate(dataDir, HOSTS);
        CertificateAuthority other = CertificateAuthority.create(Instant.now());
        Files.writeString(dataDir.resolve("tls/ca.pem"), TlsDirectory.pem("CERTIFICATE", other.certificate().getEncoded()));

        assertThatThrownBy(() -> DevelopmentCertificates.loadOrCreate(dataDir, HOSTS))
                .isInstanceOf(DevelopmentCertificateException.class)
                .hasMessageContaining("ca-key.pem does not hold the key of the certificate in ca.pem");
    }

    @Test
    void a_ca_certificate_without_its_key_is_refused() throws Exception {
        DevelopmentCertificates.loadOrCreate(dataDir, HOSTS);
        Files.delete(dataDir.resolve("tls/ca-key.pem"));

        assertThatThrownBy(() -> DevelopmentCertificates.loadOrCreate(dataDir, HOSTS))
                .isInstanceOf(DevelopmentCertificateException.class)
                .hasMessageContaining("ca-key.pem is missing")
                .hasMessageContaining("delete the tls directory to regenerate");
    }

    @Test
    void deleting_the_tls_directory_regenerates_everything_with_a_new_ca() throws Exception {
        DevelopmentCertificates first = DevelopmentCertificates.loadOrCreate(dataDir, HOSTS);
        try (var files = Files.list(dataDir.resolve("tls"))) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dataDir.resolve("tls"));

        DevelopmentCertificates second = DevelopmentCertificates.loadOrCreate(dataDir, HOSTS);

        assertThat(second.caCertificate()).isNotEqualTo(first.caCertificate());
    }

    private static KeyStore open(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, "localhub".toCharArray());
        }
        return store;
    }
}
