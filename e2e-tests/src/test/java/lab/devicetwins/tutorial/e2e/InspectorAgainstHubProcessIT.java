package lab.devicetwins.tutorial.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import lab.devicetwins.localhub.HubEnvFile;
import lab.devicetwins.tutorial.e2e.TestHub.TestDevice;
import lab.devicetwins.tutorial.service.ServiceApp;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The inspector as a new user meets it: {@code local-hub.jar start} in one terminal, the URL it printed (and wrote to
 * hub.env) opened in a browser, step 1's device app and step 2's service app run in the others, and the twin changing
 * on the page without a reload: the device's report, then the service's tags and desired interval, then the device's
 * acknowledgement. Real headless Chromium; skipped, saying how to install it, where it is missing. The page at each
 * moment is saved under {@code target/inspector-flow/}.
 */
@ExtendWith(SeparateHubProcess.class)
class InspectorAgainstHubProcessIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Path SHOTS = Path.of("target", "inspector-flow");

    @Test
    void a_learner_watches_step_1_and_step_2_change_the_twin_live_in_the_printed_inspector_url(TestHub hub)
            throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs Chromium and its driver: sudo apt-get install -y chromium chromium-driver");
        Path env = hub.dataDirectory().orElseThrow().resolve(HubEnvFile.FILE_NAME);
        String url = HubEnvFile.read(env).require("INSPECTOR_URL");
        TestDevice device = hub.createDevice("inspected");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--window-size=1366,768");
        ChromeDriver browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).build(), options);
        Files.createDirectories(SHOTS);
        try {
            browser.get(url);
            Awaitility.await().atMost(WAIT).until(() -> "true".equals(
                    browser.findElement(By.tagName("body")).getDomAttribute("data-ready")));
            ((JavascriptExecutor) browser).executeScript("document.getElementById('filter').value = arguments[0];"
                    + "document.getElementById('filter').dispatchEvent(new Event('input'));", device.id());
            Awaitility.await().atMost(WAIT).until(() -> !browser.findElements(
                    By.cssSelector("#device-list tr[data-key='" + device.id() + "']")).isEmpty());
            browser.findElement(By.cssSelector("#device-list tr[data-key='" + device.id() + "']")).click();
            Awaitility.await().atMost(WAIT).until(() -> text(browser, "#twin-id").equals(device.id()));
            shoot(browser, "1-opened");

            // terminal B: step 1
            try (RunningDeviceApp deviceApp = new RunningDeviceApp(device.connectionString(), IotHubClientProtocol.MQTT,
                    hub.target().deviceClientOptions(), "cellular")) {
                Awaitility.await().atMost(WAIT).until(() -> text(browser, "#twin-reported").contains("cellular"));
                assertThat(text(browser, "#twin-connection")).isEqualTo("Connected");
                shoot(browser, "2-device-reported");

                // terminal C: step 2
                PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
                new ServiceApp(hub.target().serviceConnectionString(), hub.target().twinClientOptions(), quiet)
                        .run(device.id(), 7);

                Awaitility.await().atMost(WAIT).until(() -> text(browser, "#twin-tags").contains("Redmond43")
                        && text(browser, "#twin-desired").contains("telemetryInterval"));
                Awaitility.await().atMost(WAIT).until(() -> text(browser, "#twin-reported").contains("telemetryInterval"));
                shoot(browser, "3-service-wrote-device-applied");
                assertThat(browser.getCurrentUrl()).as("the token left the address bar").doesNotContain("token");
                assertThat(deviceApp.failure()).isNull();
            }
        } finally {
            browser.quit();
        }
    }

    private static String text(ChromeDriver browser, String css) {
        List<WebElement> found = browser.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    private static void shoot(ChromeDriver browser, String name) throws Exception {
        Files.write(SHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }
}
