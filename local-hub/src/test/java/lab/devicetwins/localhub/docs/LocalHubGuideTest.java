package lab.devicetwins.localhub.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lab.devicetwins.localhub.HubEnvFile;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.WellKnownKeys;
import lab.devicetwins.localhub.auth.SharedAccessPolicy;
import lab.devicetwins.localhub.cli.LocalHubCommand;
import lab.devicetwins.localhub.http.ConnectionLimits;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** docs/local-hub.md prints keys, connection strings and options: they must be the ones the hub really has. */
class LocalHubGuideTest {

    private static String guide;

    @BeforeAll
    static void read() throws IOException {
        guide = Files.readString(Path.of("..", "docs", "local-hub.md"));
    }

    @Test
    void every_screenshot_the_guide_shows_is_in_docs_images() {
        Matcher image = Pattern.compile("!\\[[^\\]]*\\]\\((images/[^)\\s]+)\\)").matcher(guide);
        List<String> shown = image.results().map(m -> m.group(1)).toList();

        assertThat(shown).as("the inspector section shows laptop and phone screenshots")
                .anyMatch(path -> path.startsWith("images/inspector-laptop-"))
                .anyMatch(path -> path.startsWith("images/inspector-phone-"));
        assertThat(shown).allSatisfy(path -> assertThat(Path.of("..", "docs").resolve(path))
                .as("docs/%s, shown by docs/local-hub.md", path).isRegularFile());
    }

    @Test
    void every_default_policy_is_listed_with_its_well_known_key_and_rights() {
        for (SharedAccessPolicy policy : SharedAccessPolicy.defaults()) {
            assertThat(guide).as(policy.name()).containsPattern("\\| `" + policy.name() + "`[^|]*\\|[^|]+\\| `"
                    + Pattern.quote(policy.primaryKey()) + "` \\|");
        }
    }

    @Test
    void the_printed_connection_strings_are_those_of_a_hub_on_127_0_0_1() {
        String host = "HostName=127.0.0.1;";
        assertThat(guide)
                .contains("IOTHUB_CONNECTION_STRING=" + host + "SharedAccessKeyName=iothubowner;SharedAccessKey="
                        + SharedAccessPolicy.wellKnownKey("iothubowner", true))
                .contains("IOTHUB_DEVICE_CONNECTION_STRING=" + host + "DeviceId=" + LocalHub.DEFAULT_DEVICE_ID
                        + ";SharedAccessKey=" + WellKnownKeys.deviceKey(LocalHub.DEFAULT_DEVICE_ID, true))
                .contains("IOTHUB_SERVICE_CONNECTION_STRING=" + host + "SharedAccessKeyName=" + LocalHub.ARTICLE_POLICY
                        + ";SharedAccessKey=" + SharedAccessPolicy.wellKnownKey(LocalHub.ARTICLE_POLICY, true))
                .contains("| `" + LocalHub.DEFAULT_DEVICE_ID + "` | `"
                        + WellKnownKeys.deviceKey(LocalHub.DEFAULT_DEVICE_ID, true) + "` |");
    }

    @Test
    void every_option_of_the_start_command_is_in_the_configuration_reference() {
        CommandLine start = new CommandLine(new LocalHubCommand()).getSubcommands().get("start");

        for (CommandLine.Model.OptionSpec option : start.getCommandSpec().options()) {
            assertThat(guide).as(option.longestName()).contains("`" + option.longestName());
        }
    }

    @Test
    void the_device_cert_command_and_its_options_are_described() {
        CommandLine deviceCert = new CommandLine(new LocalHubCommand()).getSubcommands().get("device-cert");

        assertThat(guide).contains("local-hub.jar device-cert <deviceId>");
        for (CommandLine.Model.OptionSpec option : deviceCert.getCommandSpec().options()) {
            assertThat(guide).as(option.longestName()).contains("`" + option.longestName());
        }
    }

    @ParameterizedTest
    @CsvSource({"drop-connection, local-hub.jar drop-connection myDeviceId",
            "send-message, local-hub.jar send-message myDeviceId"})
    void the_commands_that_talk_to_a_running_hub_and_their_options_are_described(String name, String example) {
        CommandLine command = new CommandLine(new LocalHubCommand()).getSubcommands().get(name);

        assertThat(guide).contains(example);
        for (CommandLine.Model.OptionSpec option : command.getCommandSpec().options()) {
            if (!option.usageHelp() && !option.versionHelp()) {
                assertThat(guide).as(option.longestName()).contains("`" + option.longestName());
            }
        }
    }

    @Test
    void every_method_of_the_builder_is_in_the_builder_table() {
        for (Method method : LocalHub.Builder.class.getDeclaredMethods()) {
            if (Modifier.isPublic(method.getModifiers()) && !method.getName().equals("start")) {
                assertThat(guide).as(method.getName()).contains("| `" + method.getName() + "(");
            }
        }
    }

    @Test
    void every_key_of_hub_env_is_explained() {
        try (LocalHub hub = LocalHub.builder().mqttPort(0).httpsPort(0).start()) {
            for (String key : HubEnvFile.entries(hub).keySet()) {
                assertThat(guide).as(key).contains("| `" + key + "` |");
            }
        }
    }

    @Test
    void every_connection_limit_is_listed_with_its_real_default() throws Exception {
        ConnectionLimits defaults = ConnectionLimits.defaults();

        for (RecordComponent limit : ConnectionLimits.class.getRecordComponents()) {
            Object value = limit.getAccessor().invoke(defaults);
            String shown = value instanceof Duration d ? d.toSeconds() + " s" : value.toString();
            assertThat(guide).as(limit.getName()).contains("| `" + limit.getName() + "` | " + shown + " |");
        }
    }
}
