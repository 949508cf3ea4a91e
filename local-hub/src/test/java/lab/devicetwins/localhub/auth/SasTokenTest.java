package lab.devicetwins.localhub.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.azure.sdk.iot.device.auth.IotHubSasToken;
import com.microsoft.azure.sdk.iot.service.auth.IotHubConnectionStringBuilder;
import com.microsoft.azure.sdk.iot.service.auth.IotHubServiceSasToken;
import java.time.Instant;
import lab.devicetwins.localhub.errors.HubErrorCode;
import lab.devicetwins.localhub.errors.HubException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SasTokenTest {

    /** Base64 of "device-twins-lab test device key". */
    static final String DEVICE_KEY = "ZGV2aWNlLXR3aW5zLWxhYiB0ZXN0IGRldmljZSBrZXk=";
    static final String OTHER_KEY = SharedAccessPolicy.wellKnownKey("other", true);

    // Signatures below were computed outside Java, e.g. for the first one:
    //   printf '127.0.0.1/devices/dev1\n1700003600' \
    //     | openssl dgst -sha256 -mac HMAC -macopt hexkey:$(echo $DEVICE_KEY | base64 -d | xxd -p -c 256) -binary | base64
    /** Java device SDK layout: sig, se, sr; sr raw (only the device id segment encoded), signed as sent. */
    static final String JAVA_LAYOUT = "SharedAccessSignature sig=k7b8tEnAZ5JFgP2xNhFNfW2pf%2FUR0xmwRvjhFRI4exw%3D"
            + "&se=1700003600&sr=127.0.0.1/devices/dev1";
    /** Node device SDK layout: sr, sig, se; sr URL-encoded as a whole, signed over the encoded text. */
    static final String NODE_LAYOUT = "SharedAccessSignature sr=127.0.0.1%2Fdevices%2Fdev1"
            + "&sig=hPdbRHI2p72TCZT%2BGuOhQt6gdgXlDe5B%2FOAEKS5jPSE%3D&se=1700003600";
    static final String JAVA_LAYOUT_PLUS_IN_ID = "SharedAccessSignature sig=7ex0R3edBCtVNDscwQeA7zTRmyGlzRbxvEl5oSHMHb8%3D"
            + "&se=1700003600&sr=127.0.0.1/devices/sensor%2B1";
    static final String NODE_LAYOUT_PLUS_IN_ID = "SharedAccessSignature sr=127.0.0.1%2Fdevices%2Fsensor%2B1"
            + "&sig=1Q474BxLpR2l7sHV%2BjpgulcYGaMB06Lb4Es82iD%2B31U%3D&se=1700003600";

    @Test
    void the_java_device_layout_is_read_and_verified_over_the_raw_resource() {
        SasToken token = SasToken.parse(JAVA_LAYOUT);

        assertThat(token.resourceAsSent()).isEqualTo("127.0.0.1/devices/dev1");
        assertThat(token.expirySeconds()).isEqualTo(1700003600L);
        assertThat(token.signature()).isEqualTo("k7b8tEnAZ5JFgP2xNhFNfW2pf/UR0xmwRvjhFRI4exw=");
        assertThat(token.keyName()).isEmpty();
        assertThat(token.isSignedWith(DEVICE_KEY)).isTrue();
    }

    @Test
    void the_node_device_layout_is_verified_over_the_encoded_resource_and_decoded_for_the_scope() {
        SasToken token = SasToken.parse(NODE_LAYOUT);

        assertThat(token.resourceAsSent()).isEqualTo("127.0.0.1%2Fdevices%2Fdev1");
        assertThat(token.resourceForScope()).isEqualTo("127.0.0.1/devices/dev1");
        assertThat(token.isSignedWith(DEVICE_KEY)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {JAVA_LAYOUT_PLUS_IN_ID, NODE_LAYOUT_PLUS_IN_ID})
    void an_encoded_plus_in_a_device_id_decodes_to_a_plus(String literal) {
        SasToken token = SasToken.parse(literal);

        assertThat(token.resourceForScope()).isEqualTo("127.0.0.1/devices/sensor+1");
        assertThat(token.isSignedWith(DEVICE_KEY)).isTrue();
    }

    @Test
    void the_scope_form_is_lower_cased_but_the_signature_covers_the_case_as_sent() {
        String token = SasToken.create("MyHub.Azure-Devices.NET/devices/Dev1", DEVICE_KEY, null, Instant.ofEpochSecond(1700003600));

        SasToken parsed = SasToken.parse(token);

        assertThat(parsed.resourceForScope()).isEqualTo("myhub.azure-devices.net/devices/dev1");
        assertThat(parsed.resourceAsSent()).isEqualTo("MyHub.Azure-Devices.NET%2Fdevices%2FDev1");
        assertThat(parsed.isSignedWith(DEVICE_KEY)).isTrue();
        String lowerCasedResource = token.replace("MyHub.Azure-Devices.NET", "myhub.azure-devices.net");
        assertThat(SasToken.parse(lowerCasedResource).isSignedWith(DEVICE_KEY)).isFalse();
    }

    @Test
    void a_token_signed_with_another_key_does_not_verify() {
        assertThat(SasToken.parse(JAVA_LAYOUT).isSignedWith(OTHER_KEY)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not base64!"})
    void a_missing_or_broken_key_signs_nothing(String key) {
        assertThat(SasToken.parse(JAVA_LAYOUT).isSignedWith(key)).isFalse();
    }

    @Test
    void changing_the_expiry_breaks_the_signature() {
        assertThat(SasToken.parse(JAVA_LAYOUT.replace("se=1700003600", "se=1700007200")).isSignedWith(DEVICE_KEY)).isFalse();
    }

    @Test
    void a_token_from_create_names_its_policy_and_verifies() {
        String key = SharedAccessPolicy.wellKnownKey("service", true);

        SasToken token = SasToken.parse(SasToken.create("127.0.0.1", key, "service", Instant.ofEpochSecond(1700003600)));

        assertThat(token.keyName()).contains("service");
        assertThat(token.expiry()).isEqualTo(Instant.ofEpochSecond(1700003600));
        assertThat(token.isSignedWith(key)).isTrue();
    }

    @Test
    void a_token_from_the_service_sdk_verifies_with_the_policy_key() {
        String key = SharedAccessPolicy.wellKnownKey("service", true);
        String token = new IotHubServiceSasToken(IotHubConnectionStringBuilder.createIotHubConnectionString(
                "HostName=MyHub.azure-devices.net;SharedAccessKeyName=service;SharedAccessKey=" + key)).toString();

        SasToken parsed = SasToken.parse(token);

        assertThat(parsed.keyName()).contains("service");
        assertThat(parsed.resourceForScope()).isEqualTo("myhub.azure-devices.net");
        assertThat(parsed.isSignedWith(key)).isTrue();
    }

    @Test
    void a_token_from_the_device_sdk_verifies_with_the_device_key() {
        String token = new IotHubSasToken("127.0.0.1", "sensor+1", DEVICE_KEY, null, null, 1700003600L).toString();

        SasToken parsed = SasToken.parse(token);

        assertThat(parsed.resourceForScope()).isEqualTo("127.0.0.1/devices/sensor+1");
        assertThat(parsed.isSignedWith(DEVICE_KEY)).isTrue();
    }

    @Test
    void a_raw_base64_signature_with_a_plus_is_not_mistaken_for_a_space() {
        String unencodedSig = NODE_LAYOUT.replace("hPdbRHI2p72TCZT%2BGuOhQt6gdgXlDe5B%2FOAEKS5jPSE%3D",
                "hPdbRHI2p72TCZT+GuOhQt6gdgXlDe5B/OAEKS5jPSE=");

        assertThat(SasToken.parse(unencodedSig).isSignedWith(DEVICE_KEY)).isTrue();
    }

    @Test
    void unknown_fields_and_surrounding_whitespace_are_ignored() {
        SasToken token = SasToken.parse("  " + NODE_LAYOUT + "&future=1 ");

        assertThat(token.isSignedWith(DEVICE_KEY)).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|empty",
            "sr=h&sig=AAAA&se=1|must start with 'SharedAccessSignature '",
            "Bearer sr=h&sig=AAAA&se=1|must start with 'SharedAccessSignature '",
            "SharedAccessSignature sig=AAAA&se=1|'sr' is missing",
            "SharedAccessSignature sr=h&se=1|'sig' is missing",
            "SharedAccessSignature sr=h&sig=AAAA|'se' is missing",
            "SharedAccessSignature sr=h&sig=AAAA&se=|'se' is missing or empty",
            "SharedAccessSignature sr=h&sig=AAAA&se=tomorrow|'tomorrow'",
            "SharedAccessSignature sr=h&sig=AAAA&se=1&sr=g|'sr' appears more than once",
            "SharedAccessSignature sr=h&sig&se=1|'sig' is not of the form key=value",
            "SharedAccessSignature sr=h%2&sig=AAAA&se=1|sr has an invalid percent escape at position 2",
            "SharedAccessSignature sr=h&sig=%%%&se=1|sig has an invalid percent escape",
            "SharedAccessSignature sr=h&sig=not*base64&se=1|sig is not a Base64",
            "SharedAccessSignature sr=h&sig=AAAA&se=1&skn=|skn (the policy name) is present but empty",
            "SharedAccessSignature sr=h&sig=AAAA&se=1e17|digits only",
            "SharedAccessSignature sr=h&sig=AAAA&se=-100000000000000000|digits only",
            "SharedAccessSignature sr=h&sig=AAAA&se=+1700003600|digits only",
            "SharedAccessSignature sr=h&sig=AAAA&se=1700003600.5|digits only",
            "SharedAccessSignature sr=h&sig=AAAA&se=99999999999999999999|digits only",
            "SharedAccessSignature sr=h&sig=AAAA&se=9223372036854775807|lies after 9999-12-31T23:59:59Z",
            "SharedAccessSignature sr=h&sig=AAAA&se=100000000000000000|lies after 9999-12-31T23:59:59Z",
            "SharedAccessSignature sr=h&sig=AAAA&se=253402300800|lies after 9999-12-31T23:59:59Z"})
    void a_malformed_token_is_refused_as_unauthorized_saying_what_is_wrong(String token, String expected) {
        assertThatThrownBy(() -> SasToken.parse(token))
                .isInstanceOfSatisfying(HubException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(HubErrorCode.IOT_HUB_UNAUTHORIZED_ACCESS))
                .hasMessageStartingWith("Malformed SAS token: ")
                .hasMessageContaining(expected);
    }

    @Test
    void the_latest_expiry_the_hub_accepts_is_the_last_second_of_9999() {
        SasToken token = SasToken.parse("SharedAccessSignature sr=h&sig=AAAA&se=253402300799");

        assertThat(token.expiry()).isEqualTo(Instant.parse("9999-12-31T23:59:59Z"));
    }

    @Test
    void the_text_form_leaves_the_signature_out() {
        SasToken token = SasToken.parse(JAVA_LAYOUT);

        assertThat(token.toString()).contains("127.0.0.1/devices/dev1").doesNotContain(token.signature(), "k7b8");
    }
}
