package lab.devicetwins.localhub.inspector;

import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium ({@code chromium} and {@code chromium-driver}) as the inspector's browser tests drive it:
 * started, sized like a laptop or a phone, and photographed once the page has settled.
 */
final class HeadlessChromium {
    static final Duration WAIT = Duration.ofSeconds(30);
    /** Where the runs leave their screenshots; docs/images holds the copies the guide shows. */
    static final Path SCREENSHOTS = Path.of("target", "inspector-screenshots");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /** Skips the test class, saying how to install them, where Chromium or its driver is missing. */
    static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the inspector's browser tests need Chromium and its driver: on Debian or Ubuntu run "
                        + "'sudo apt-get install -y chromium chromium-driver' (.ci/run does it when it runs as root)");
    }

    /** A headless browser in a 1280 x 900 window, with {@code arguments} added to Chromium's command line. */
    static ChromeDriver start(String... arguments) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--window-size=1280,900");
        options.addArguments(arguments);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).build();
        ChromeDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(WAIT);
        return browser;
    }

    /** A viewport of exactly {@code width} x {@code height} CSS pixels, as a laptop or a phone shows the page. */
    static void viewport(ChromeDriver browser, int width, int height, boolean mobile) {
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
    }

    /** Back to the window's own size. */
    static void windowViewport(ChromeDriver browser) {
        browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }

    /** Saves what the viewport shows once the page has settled (no highlight still fading in). */
    static BufferedImage screenshot(ChromeDriver browser, String name) throws Exception {
        await().atMost(WAIT).until(() -> Boolean.TRUE.equals(browser.executeScript(
                "return document.getAnimations().every(a => a.playState !== 'running');")));
        byte[] png = browser.getScreenshotAs(OutputType.BYTES);
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve("inspector-" + name + ".png"), png);
        return ImageIO.read(new ByteArrayInputStream(png));
    }
}
