package lab.devicetwins.localhub.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trust built from the CA PEM a hub exports; the handshakes themselves are in {@link TlsHandshakeTest}. */
class DevelopmentCaTrustTest {

    private static final DevelopmentCertificates CERTIFICATES = DevelopmentCertificates.loadOrCreate(null, List.of());

    @Test
    void the_trust_store_holds_the_development_ca_and_nothing_else() throws Exception {
        KeyStore store = DevelopmentCaTrust.fromPem(CERTIFICATES.caPem()).trustStore();

        List<String> aliases = Collections.list(store.aliases());
        assertThat(aliases).hasSize(1);
        assertThat(store.getCertificate(aliases.get(0))).isEqualTo(CERTIFICATES.caCertificate());
    }

    @Test
    void the_jdks_own_cas_stay_trusted_next_to_the_development_ca() throws Exception {
        DevelopmentCaTrust trust = DevelopmentCaTrust.fromPem(CERTIFICATES.caPem());
        TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        jdk.init((KeyStore) null);
        X509Certificate[] jdkIssuers = ((X509TrustManager) jdk.getTrustManagers()[0]).getAcceptedIssuers();

        X509TrustManager combined = trust.trustManagerWithJdkCas();

        assertThat(jdkIssuers).isNotEmpty();
        assertThat(Arrays.asList(combined.getAcceptedIssuers()))
                .containsAll(Arrays.asList(jdkIssuers))
                .containsAll(trust.certificates())
                .hasSize(jdkIssuers.length + trust.certificates().size());
    }

    @Test
    void the_ca_file_the_hub_writes_reads_as_the_same_certificate(@TempDir Path dataDir) throws Exception {
        DevelopmentCertificates onDisk = DevelopmentCertificates.loadOrCreate(dataDir, List.of());

        DevelopmentCaTrust trust = DevelopmentCaTrust.fromPemFile(onDisk.caPemFile().orElseThrow());

        assertThat(trust.certificates()).containsExactly(onDisk.caCertificate());
    }

    @Test
    void pem_text_without_a_certificate_is_refused_with_a_clear_message() {
        assertThatThrownBy(() -> DevelopmentCaTrust.fromPem("not a certificate"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("local hub's CA");
    }

    @Test
    void a_pem_file_without_a_certificate_is_refused_with_its_name(@TempDir Path directory) throws Exception {
        Path empty = Files.writeString(directory.resolve("ca.pem"), "");

        assertThatThrownBy(() -> DevelopmentCaTrust.fromPemFile(empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(empty.toString())
                .hasMessageContaining("local hub's CA");
    }
}
