package lab.devicetwins.localhub.inspector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubTooManyRequestsException;
import com.microsoft.azure.sdk.iot.service.query.QueryClient;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.realism.HubProfile;
import lab.devicetwins.localhub.realism.Tier;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The inspector of an S1 hub in a real headless Chromium: its profile panel names the tier, shows each knob with where
 * its value comes from, and counts the 429s the service SDK's queries get while the learner watches.
 */
class InspectorProfileInBrowserTest {
    private static final Duration WAIT = HeadlessChromium.WAIT;
    private static final String QUERIES_REFUSED = "#throttle-table tr[data-operation='queries'] td.throttled";

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0).inspectorPort(0)
            .profile(HubProfile.of(Tier.S1, 1).withShapingLimit(Duration.ZERO)));

    private static ChromeDriver browser;

    @BeforeAll
    static void startBrowser() {
        HeadlessChromium.assumeInstalled();
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private static String text(String css) {
        List<WebElement> found = browser.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    @Test
    void the_profile_panel_counts_the_429s_of_a_burst_of_queries_without_reloading() throws Exception {
        HeadlessChromium.viewport(browser, 1366, 768, false);
        try {
            browser.get(localHub.hub().inspectorUrl().orElseThrow());
            await().atMost(WAIT).until(() -> "true".equals(browser.findElement(By.tagName("body")).getDomAttribute("data-ready")));
            browser.executeScript("window.notReloaded = true;");
            assertThat(text("#profile-name")).isEqualTo("S1 x 1 unit");
            assertThat(browser.findElement(By.id("profile-panel")).getDomProperty("open")).isEqualTo("true");
            assertThat(text("#profile-knobs dd[data-knob='shaping limit']")).contains("0s").contains("--shaping-limit");
            assertThat(text("#throttle-table tr[data-operation='queries']")).contains("0.33/s (burst 20)")
                    .contains("20/min/unit x 1 unit");

            QueryClient queries = new OfficialSdks(localHub.hub()).queries();
            int refused = 0;
            for (int i = 0; i < 25; i++) {
                try {
                    queries.queryTwins("SELECT * FROM devices");
                } catch (IotHubTooManyRequestsException e) {
                    refused++;
                }
            }
            String expected = String.valueOf(refused);

            assertThat(refused).as("S1 answers 20 queries a minute").isPositive();
            await().atMost(WAIT).until(() -> text(QUERIES_REFUSED).equals(expected));
            assertThat(text("#profile-refused")).isEqualTo("· " + refused + " refused with 429");
            assertThat(browser.executeScript("return window.notReloaded === true;")).isEqualTo(true);
            BufferedImage laptop = HeadlessChromium.screenshot(browser, "laptop-profile");

            HeadlessChromium.viewport(browser, 390, 844, true);
            browser.executeScript("document.getElementById('profile-throttles').scrollIntoView({block: 'start'});");
            BufferedImage phone = HeadlessChromium.screenshot(browser, "phone-profile");

            assertThat(new int[] {laptop.getWidth(), laptop.getHeight()}).containsExactly(1366, 768);
            assertThat(new int[] {phone.getWidth(), phone.getHeight()}).containsExactly(390, 844);
            Object right = browser.executeScript("return document.querySelector(arguments[0]).getBoundingClientRect().right;",
                    QUERIES_REFUSED);
            assertThat(((Number) right).doubleValue()).as("a phone shows the 429 count without scrolling sideways")
                    .isLessThanOrEqualTo(390);
            assertThat(text(QUERIES_REFUSED)).isEqualTo(expected);
        } finally {
            HeadlessChromium.windowViewport(browser);
        }
    }
}
