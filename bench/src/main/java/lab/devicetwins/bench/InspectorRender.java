package lab.devicetwins.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import lab.devicetwins.localhub.HubEnvFile;
import lab.devicetwins.localhub.process.LocalHubProcess;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Scenario: the inspector page in Debian's headless Chromium against a hub process with {@link #DEVICES} devices
 * (bulk-created) and, side by side in the same run, one with {@link #BASELINE} devices. Two figures per hub, each the
 * median and min-max of {@code --runs N} page loads: from navigation to the first device-list row rendered, and from
 * a click on a device to its twin rendered. Both are taken in the page ({@code performance.now()}, the frame after
 * the DOM change), so driving the browser adds nothing. One unmeasured load per hub warms it up; the browser cache is
 * on, as for a learner who reopens the page.
 */
final class InspectorRender implements Scenario {
    static final int DEVICES = 10_000;
    static final int BASELINE = 10;
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Runs before the page's own script: notes when the first device row is on screen. */
    private static final String FIRST_ROW_PROBE = "window.__bench = {};"
            + "new MutationObserver((records, observer) => {"
            + "  if (document.querySelector('#device-list tbody tr[data-key]')) {"
            + "    observer.disconnect();"
            + "    requestAnimationFrame(() => { window.__bench.firstRow = performance.now(); });"
            + "  }"
            + "}).observe(document, {childList: true, subtree: true});";

    /** Clicks the first device row and answers the milliseconds until its twin is on screen. */
    private static final String CLICK_TO_TWIN = "const done = arguments[arguments.length - 1];"
            + "const row = document.querySelector('#device-list tbody tr[data-key]');"
            + "const key = row.getAttribute('data-key');"
            + "const panel = document.getElementById('twin-panel');"
            + "const shown = () => !panel.hidden && document.getElementById('twin-id').textContent === key"
            + "  && document.getElementById('twin-etag').textContent !== '';"
            + "const t0 = performance.now();"
            + "const observer = new MutationObserver(() => {"
            + "  if (shown()) { observer.disconnect(); requestAnimationFrame(() => done(performance.now() - t0)); }"
            + "});"
            + "observer.observe(panel, {childList: true, subtree: true, attributes: true, characterData: true});"
            + "row.click();";

    @Override
    public String name() {
        return "inspector";
    }

    @Override
    public SummaryLine run(BenchContext context) throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            System.out.println("# inspector: ERROR Chromium or its driver is missing (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "): install them with 'sudo apt-get install -y chromium chromium-driver'");
            return new SummaryLine(name()).put("error", "chromium_missing:apt-get_install_chromium_chromium-driver")
                    .put("verdict", "NOT_MEASURED");
        }
        BenchEnvironment bench = context.bench();
        Map<Integer, Figure> firstRow = new LinkedHashMap<>();
        Map<Integer, Figure> twin = new LinkedHashMap<>();
        Map<Integer, LocalHubProcess> hubs = new LinkedHashMap<>();
        ChromeDriver browser = null;
        try {
            for (int devices : new int[] {BASELINE, DEVICES}) {
                Path dir = bench.workDir().resolve("inspector-" + devices);
                BenchDevices.deleteTree(dir);
                LocalHubProcess hub = bench.hubProcess(dir, 0).start();
                hubs.put(devices, hub);
                long t0 = System.nanoTime();
                new BulkCreate.Client(bench, hub.hubEnv()).createInBulk("inspector-", devices);
                System.out.printf(Locale.ROOT, "# inspector: hub with %,d devices (bulk-created in %.1f s)%n", devices,
                        (System.nanoTime() - t0) / 1e9);
                firstRow.put(devices, new Figure());
                twin.put(devices, new Figure());
            }
            browser = startBrowser();
            for (int devices : hubs.keySet()) {
                measure(browser, inspectorUrl(hubs.get(devices)));
            }
            for (int round = 1; round <= bench.runs(); round++) {
                int[] order = round % 2 == 1 ? new int[] {BASELINE, DEVICES} : new int[] {DEVICES, BASELINE};
                for (int devices : order) {
                    double[] ms = measure(browser, inspectorUrl(hubs.get(devices)));
                    firstRow.get(devices).add(ms[0]);
                    twin.get(devices).add(ms[1]);
                    System.out.printf(Locale.ROOT, "# inspector round %d, %,6d devices: first device row %.0f ms after"
                            + " navigation, twin %.0f ms after the click%n", round, devices, ms[0], ms[1]);
                }
            }
        } finally {
            if (browser != null) {
                browser.quit();
            }
            for (LocalHubProcess hub : hubs.values()) {
                hub.close();
            }
        }
        return new SummaryLine(name())
                .put("devices", DEVICES)
                .put("baseline_devices", BASELINE)
                .put("first_row_ms", firstRow.get(DEVICES))
                .put("first_row_ms_baseline", firstRow.get(BASELINE))
                .put("twin_ms", twin.get(DEVICES))
                .put("twin_ms_baseline", twin.get(BASELINE))
                .put("goal", "inspector_responsive_with_10000_devices")
                .put("verdict", "measured");
    }

    private static String inspectorUrl(LocalHubProcess hub) {
        String url = hub.hubEnv().require(HubEnvFile.INSPECTOR_URL);
        if (url.isBlank()) {
            throw new IllegalStateException("the hub runs no inspector (INSPECTOR_URL is empty in hub.env)");
        }
        return url;
    }

    private static ChromeDriver startBrowser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--window-size=1366,768");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).build();
        ChromeDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(WAIT);
        browser.manage().timeouts().pageLoadTimeout(WAIT);
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", FIRST_ROW_PROBE));
        return browser;
    }

    /** One page load: milliseconds to the first device row, then from a click to the twin. */
    private static double[] measure(ChromeDriver browser, String url) throws InterruptedException {
        browser.get(url);
        long deadline = System.nanoTime() + WAIT.toNanos();
        Object firstRow = null;
        while (firstRow == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no device row on the inspector page within " + WAIT);
            }
            Thread.sleep(20); // polling only learns the figure; the page itself took it when the row appeared
            firstRow = browser.executeScript("return window.__bench && window.__bench.firstRow;");
        }
        Object twin = browser.executeAsyncScript(CLICK_TO_TWIN);
        return new double[] {((Number) firstRow).doubleValue(), ((Number) twin).doubleValue()};
    }
}
