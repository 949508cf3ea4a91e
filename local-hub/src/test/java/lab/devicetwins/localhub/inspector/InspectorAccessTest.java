package lab.devicetwins.localhub.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InspectorAccessTest {
    private static final String SECRET = "s3cret-of-this-start";
    private final InspectorAccess access = new InspectorAccess(SECRET, "127.7.0.1", 4242);

    @Test
    void the_loopback_names_with_the_inspectors_port_are_accepted_as_host() {
        assertThat(access.hostAllowed("127.0.0.1:4242")).isTrue();
        assertThat(access.hostAllowed("localhost:4242")).isTrue();
        assertThat(access.hostAllowed("LOCALHOST:4242")).isTrue();
        assertThat(access.hostAllowed("[::1]:4242")).isTrue();
        assertThat(access.hostAllowed("127.7.0.1:4242")).as("the address it binds").isTrue();
    }

    @Test
    void another_name_another_port_or_no_host_is_refused_as_dns_rebinding() {
        assertThat(access.hostAllowed("evil.example:4242")).isFalse();
        assertThat(access.hostAllowed("127.0.0.1:4243")).isFalse();
        assertThat(access.hostAllowed("127.0.0.1")).isFalse();
        assertThat(access.hostAllowed(null)).isFalse();
        assertThat(access.decide("evil.example:4242", null, SECRET, false, false).status())
                .as("refused even with the right secret").isEqualTo(403);
    }

    @Test
    void only_the_inspectors_own_origin_is_accepted() {
        assertThat(access.originAllowed("http://127.0.0.1:4242")).isTrue();
        assertThat(access.originAllowed("http://localhost:4242")).isTrue();
        assertThat(access.originAllowed("https://127.0.0.1:4242")).isFalse();
        assertThat(access.originAllowed("http://evil.example:4242")).isFalse();
        assertThat(access.originAllowed("http://127.0.0.1:8080")).isFalse();
        assertThat(access.originAllowed("null")).isFalse();
    }

    @Test
    void a_state_changing_request_from_another_origin_or_without_one_is_refused() {
        assertThat(access.decide("127.0.0.1:4242", "http://evil.example", SECRET, true, true).status()).isEqualTo(403);
        assertThat(access.decide("127.0.0.1:4242", null, SECRET, true, true).status()).isEqualTo(403);
        assertThat(access.decide("127.0.0.1:4242", "http://127.0.0.1:4242", SECRET, true, true).allowed()).isTrue();
    }

    @Test
    void the_event_stream_refuses_a_foreign_origin_but_not_a_missing_one() {
        assertThat(access.decide("127.0.0.1:4242", "http://evil.example", SECRET, true, false).status()).isEqualTo(403);
        assertThat(access.decide("127.0.0.1:4242", null, SECRET, true, false).allowed()).isTrue();
    }

    @Test
    void a_missing_secret_is_401_and_a_wrong_one_403() {
        assertThat(access.decide("127.0.0.1:4242", null, null, false, false).status()).isEqualTo(401);
        assertThat(access.decide("127.0.0.1:4242", null, "", false, false).status()).isEqualTo(401);
        assertThat(access.decide("127.0.0.1:4242", null, "s3cret-of-this-starT", false, false).status()).isEqualTo(403);
        assertThat(access.decide("127.0.0.1:4242", null, "s3cret", false, false).status()).isEqualTo(403);
        assertThat(access.decide("127.0.0.1:4242", null, SECRET, false, false).allowed()).isTrue();
    }

    @Test
    void refusals_never_repeat_the_secret() {
        InspectorAccess.Decision wrong = access.decide("127.0.0.1:4242", null, "guess", false, false);
        assertThat(wrong.reason()).doesNotContain(SECRET).doesNotContain("guess");
    }

    @Test
    void the_secret_cookie_is_http_only_same_site_strict_and_named_after_the_port() {
        assertThat(access.setCookie()).isEqualTo("localhub_inspector_4242=" + SECRET + "; Path=/; HttpOnly; SameSite=Strict");
        assertThat(access.secretFromCookies("a=b; localhub_inspector_4242=" + SECRET + "; c=d")).isEqualTo(SECRET);
        assertThat(access.secretFromCookies("localhub_inspector_4243=other")).isNull();
        assertThat(access.secretFromCookies(null)).isNull();
    }

    @Test
    void each_start_makes_a_new_unguessable_secret() {
        String first = InspectorAccess.newSecret();
        String second = InspectorAccess.newSecret();
        assertThat(first).isNotEqualTo(second).hasSize(43).matches("[A-Za-z0-9_-]+");
    }
}
