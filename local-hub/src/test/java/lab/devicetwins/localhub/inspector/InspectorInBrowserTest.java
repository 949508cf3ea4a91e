package lab.devicetwins.localhub.inspector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.transport.IotHubConnectionStatus;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubNotFoundException;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.DeviceStatus;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import lab.devicetwins.localhub.LocalHub;
import lab.devicetwins.localhub.junit.LocalHubExtension;
import lab.devicetwins.localhub.sdk.DeviceTwinRequests;
import lab.devicetwins.localhub.sdk.OfficialSdks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Alert;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The inspector page in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}), with the
 * official device SDK over MQTT and the service SDK over HTTPS on the other side. Skipped, saying how to install
 * them, where they are missing.
 */
class InspectorInBrowserTest {
    private static final Duration WAIT = HeadlessChromium.WAIT;
    /** A name the browser resolves to the hub's loopback address: another site, as DNS rebinding would make it. */
    private static final String FOREIGN_NAME = "evil.example";

    @RegisterExtension
    static LocalHubExtension localHub = LocalHubExtension.with(b -> b.httpsPort(0).inspectorPort(0));

    private static ChromeDriver browser;
    private static OfficialSdks sdks;
    private static String url;
    private static URI base;

    @BeforeAll
    static void startBrowser() {
        HeadlessChromium.assumeInstalled();
        LocalHub hub = localHub.hub();
        sdks = new OfficialSdks(hub);
        url = hub.inspectorUrl().orElseThrow();
        base = URI.create(url).resolve("/");
        browser = HeadlessChromium.start("--host-resolver-rules=MAP " + FOREIGN_NAME + " " + URI.create(url).getHost());
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void openInspector() {
        browser.get(url);
        await().atMost(WAIT).until(() -> "true".equals(browser.findElement(By.tagName("body")).getDomAttribute("data-ready")));
    }

    private static WebElement waitFor(String css) {
        return await().atMost(WAIT).until(() -> browser.findElements(By.cssSelector(css)).stream().findFirst().orElse(null),
                e -> e != null);
    }

    private static String text(String css) {
        List<WebElement> found = browser.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    private static void register(String deviceId) throws Exception {
        sdks.registry().addDevice(new Device(deviceId));
    }

    private static void openTwin(String key) {
        ((JavascriptExecutor) browser).executeScript("document.getElementById('filter').value = arguments[0];"
                + "document.getElementById('filter').dispatchEvent(new Event('input'));", key);
        waitFor("#device-list tr[data-key='" + key + "']").click();
        await().atMost(WAIT).until(() -> text("#twin-id").equals(key));
    }

    private static void setEditor(String json) {
        ((JavascriptExecutor) browser).executeScript("const e = document.getElementById('editor'); e.value = arguments[0];"
                + "e.dispatchEvent(new Event('input'));", json);
    }

    @Test
    void the_page_lists_the_seeded_device() {
        WebElement row = waitFor("#device-list tr[data-key='" + LocalHub.DEFAULT_DEVICE_ID + "']");

        assertThat(row.getText()).contains(LocalHub.DEFAULT_DEVICE_ID).contains("enabled");
        assertThat(browser.getCurrentUrl()).as("the token left the address bar").doesNotContain("token");
    }

    @Test
    void a_reported_patch_from_the_device_sdk_appears_without_reloading() throws Exception {
        register("browser-reporter");
        openTwin("browser-reporter");
        ((JavascriptExecutor) browser).executeScript("window.notReloaded = true;");
        DeviceClient device = sdks.device("browser-reporter");
        device.open(false);
        try {
            device.subscribeToDesiredProperties((twin, ctx) -> { }, null); // the SDK's condition for twin requests
            TwinCollection reported = new TwinCollection();
            reported.put("connectivityType", "cellular");
            DeviceTwinRequests.updateReportedProperties(device, reported);

            WebElement value = waitFor("#twin-reported li[data-path='connectivityType']");
            assertThat(value.getText()).contains("cellular");
            assertThat(value.getDomAttribute("class")).contains("changed");
            await().atMost(WAIT).until(() -> text("#reported-version").equals("$version 2"));
            assertThat(text("#history")).contains("device").contains("reported.connectivityType");
            assertThat(((JavascriptExecutor) browser).executeScript("return window.notReloaded === true;")).isEqualTo(true);
        } finally {
            device.close();
        }
    }

    @Test
    void editing_desired_on_the_page_reaches_the_device_sdks_callback() throws Exception {
        register("browser-desired");
        DeviceClient device = sdks.device("browser-desired");
        device.open(false);
        List<TwinCollection> received = new CopyOnWriteArrayList<>();
        device.subscribeToDesiredProperties((twin, ctx) -> received.add(twin.getDesiredProperties()), null);
        try {
            openTwin("browser-desired");
            setEditor("{\"tags\":{},\"properties\":{\"desired\":{\"fanOn\":true,\"telemetryInterval\":30}}}");

            browser.findElement(By.id("save-twin")).click();

            await().atMost(WAIT).until(() -> received.stream().anyMatch(d -> d.containsKey("fanOn")));
            TwinCollection desired = received.stream().filter(d -> d.containsKey("fanOn")).findFirst().orElseThrow();
            assertThat(desired).containsEntry("fanOn", true).containsEntry("telemetryInterval", 30L);
            assertThat(desired.getVersion()).isEqualTo(2);
            await().atMost(WAIT).until(() -> text("#editor-message").startsWith("Saved"));
        } finally {
            device.close();
        }
    }

    @Test
    void a_local_hub_names_its_profile_in_a_folded_panel_and_does_not_poll_for_throttles() {
        assertThat(text("#profile-name")).isEqualTo("local: no throttling, no query lag");
        WebElement panel = browser.findElement(By.id("profile-panel"));
        assertThat(panel.getDomProperty("open")).isEqualTo("false");

        browser.findElement(By.cssSelector("#profile-panel summary")).click();

        await().atMost(WAIT).until(() -> text("#profile-knobs").contains("query lag"));
        assertThat(text("#profile-knobs dd[data-knob='query lag']")).contains("0s").contains("--query-lag");
        assertThat(browser.findElement(By.id("profile-throttles")).isDisplayed()).isFalse();
        assertThat(browser.executeScript("return performance.getEntriesByType('resource')"
                + ".some(e => e.name.includes('/api/throttles'));")).as("a local hub has no throttles to read")
                .isEqualTo(false);
    }

    @Test
    void an_edit_the_page_checks_against_the_twin_rules_is_not_sent() throws Exception {
        register("browser-rules");
        openTwin("browser-rules");
        String etag = text("#twin-etag");
        setEditor("{\"tags\":{\"bad.key\":1},\"properties\":{\"desired\":{}}}");

        browser.findElement(By.id("save-twin")).click();

        await().atMost(WAIT).until(() -> text("#editor-message").contains("Not sent"));
        assertThat(text("#editor-message")).contains("tags.bad.key").contains("'.'");
        assertThat(sdks.twins().get("browser-rules").getETag()).isEqualTo(etag);
    }

    private static void viewport(int width, int height, boolean mobile) {
        HeadlessChromium.viewport(browser, width, height, mobile);
    }

    private static void scrollTo(String css) {
        browser.executeScript("document.querySelector(arguments[0]).scrollIntoView({block: 'start'});", css);
    }

    private static BufferedImage screenshot(String name) throws Exception {
        return HeadlessChromium.screenshot(browser, name);
    }

    @Test
    void the_run_takes_screenshots_of_the_device_list_and_a_twin_changing_at_laptop_and_phone_sizes() throws Exception {
        String watched = LocalHub.DEFAULT_DEVICE_ID;
        TwinClient twins = sdks.twins();
        for (String id : new String[] {"building43-thermostat", "building43-fan"}) {
            register(id);
            var twin = twins.get(id);
            twin.getTags().put("plant", "Redmond43");
            twins.patch(twin);
        }
        var twin = twins.get(watched);
        twin.getTags().put("plant", "Redmond43");
        twins.patch(twin);
        DeviceClient device = sdks.device(watched);
        device.open(false);
        try {
            viewport(1366, 768, false);
            openInspector();
            waitFor("#device-list tr[data-key='building43-fan']");
            BufferedImage laptopDevices = screenshot("laptop-devices");
            openTwin(watched);
            browser.executeScript("const f = document.getElementById('filter'); f.value = '';"
                    + "f.dispatchEvent(new Event('input')); document.querySelector('.devices .table-wrap').scrollLeft = 0;");
            waitFor("#device-list tr[data-key='building43-fan']");
            device.subscribeToDesiredProperties((t, ctx) -> { }, null);
            TwinCollection reported = new TwinCollection();
            reported.put("connectivityType", "cellular");
            DeviceTwinRequests.updateReportedProperties(device, reported);
            WebElement change = waitFor("#twin-reported li.changed[data-path='connectivityType']");
            await().atMost(WAIT).until(() -> text("#history").contains("reported.connectivityType"));
            assertThat(change.getText()).contains("cellular");
            BufferedImage laptopTwin = screenshot("laptop-twin");
            scrollTo("#history");
            BufferedImage laptopHistory = screenshot("laptop-history");

            viewport(390, 844, true);
            scrollTo("body");
            BufferedImage phoneDevices = screenshot("phone-devices");
            scrollTo("#twin-panel");
            BufferedImage phoneTwin = screenshot("phone-twin");
            scrollTo("#history");
            BufferedImage phoneHistory = screenshot("phone-history");

            assertThat(List.of(laptopDevices, laptopTwin, laptopHistory)).allSatisfy(image -> assertThat(
                    new int[] {image.getWidth(), image.getHeight()}).containsExactly(1366, 768));
            assertThat(List.of(phoneDevices, phoneTwin, phoneHistory)).allSatisfy(image -> assertThat(
                    new int[] {image.getWidth(), image.getHeight()}).containsExactly(390, 844));
            assertThat(browser.findElement(By.cssSelector("#twin-reported li[data-path='connectivityType']"))
                    .getDomAttribute("class")).as("the change is still highlighted at phone size").contains("changed");
        } finally {
            HeadlessChromium.windowViewport(browser);
            device.close();
        }
    }

    private static Alert confirmation() {
        return await().atMost(WAIT).ignoreException(NoAlertPresentException.class)
                .until(() -> browser.switchTo().alert(), alert -> alert != null);
    }

    @Test
    void a_device_created_disabled_and_deleted_on_the_page_is_so_for_the_service_sdk() throws Exception {
        String id = "browser-lifecycle";
        RegistryClient registry = sdks.registry();
        browser.findElement(By.id("new-device-id")).sendKeys(id);

        browser.findElement(By.id("create-device")).click();

        await().atMost(WAIT).until(() -> text("#devices-message").equals("Created " + id));
        assertThat(registry.getDevice(id).getStatus()).isEqualTo(DeviceStatus.Enabled);
        assertThat(registry.getDevice(id).getSymmetricKey().getPrimaryKey()).as("the hub made its keys").isNotBlank();

        openTwin(id);
        browser.findElement(By.id("toggle-status")).click();

        await().atMost(WAIT).until(() -> text("#devices-message").equals(id + " is disabled"));
        assertThat(registry.getDevice(id).getStatus()).isEqualTo(DeviceStatus.Disabled);
        await().atMost(WAIT).until(() -> text("#device-list tr[data-key='" + id + "']").contains("disabled"));
        await().atMost(WAIT).until(() -> text("#toggle-status").equals("Enable"));

        browser.findElement(By.id("delete-identity")).click();
        Alert asked = confirmation();
        assertThat(asked.getText()).contains("Delete " + id);
        asked.dismiss();
        assertThat(registry.getDevice(id).getDeviceId()).as("a dismissed confirmation deletes nothing").isEqualTo(id);

        browser.findElement(By.id("delete-identity")).click();
        confirmation().accept();

        await().atMost(WAIT).until(() -> text("#devices-message").equals("Deleted " + id));
        assertThatThrownBy(() -> registry.getDevice(id)).isInstanceOf(IotHubNotFoundException.class);
        await().atMost(WAIT).until(() -> browser.findElements(By.cssSelector("#device-list tr[data-key='" + id + "']"))
                .isEmpty());
    }

    @Test
    void a_stale_edit_shows_iot_hubs_412_with_the_newer_twin() throws Exception {
        register("browser-stale");
        openTwin("browser-stale");
        String basedOn = text("#editor-etag");
        setEditor("{\"tags\":{\"plant\":\"Seattle\"},\"properties\":{\"desired\":{}}}");
        TwinClient twins = sdks.twins();
        var twin = twins.get("browser-stale");
        twin.getTags().put("plant", "Redmond43");
        twins.patch(twin);
        await().atMost(WAIT).until(() -> !text("#twin-etag").equals(basedOn));
        assertThat(text("#editor-etag")).as("the editor keeps the version the edit began from").isEqualTo(basedOn);

        browser.findElement(By.id("save-twin")).click();

        await().atMost(WAIT).until(() -> text("#editor-message").contains("412"));
        assertThat(text("#editor-message")).contains("412001").contains("changed after your edit began");
        assertThat(twins.get("browser-stale").getTags().get("plant")).isEqualTo("Redmond43");
    }

    @Test
    void the_connection_facts_show_the_sdks_session_and_the_drop_button_makes_it_reconnect() throws Exception {
        register("browser-connection");
        DeviceClient device = sdks.device("browser-connection");
        List<IotHubConnectionStatus> statuses = new CopyOnWriteArrayList<>();
        device.setConnectionStatusChangeCallback(context -> statuses.add(context.getNewStatus()), null);
        device.open(false);
        try {
            device.subscribeToDesiredProperties((twin, ctx) -> { }, null);
            openTwin("browser-connection");
            await().atMost(WAIT).until(() -> text("#subscriptions").contains("$iothub/twin/PATCH/properties/desired/#"));
            assertThat(text("#connection-facts")).contains("connected since").contains("persistent session");

            browser.findElement(By.id("drop-connection")).click();

            await().atMost(WAIT).until(() -> statuses.contains(
                    IotHubConnectionStatus.DISCONNECTED_RETRYING));
            await().atMost(WAIT).until(() -> statuses.get(statuses.size() - 1)
                    == IotHubConnectionStatus.CONNECTED);
        } finally {
            device.close();
        }
    }

    @Test
    void a_query_pages_with_its_continuation() throws Exception {
        for (String id : new String[] {"browser-query-1", "browser-query-2", "browser-query-3"}) {
            register(id);
        }
        WebElement query = browser.findElement(By.id("query-text"));
        query.clear();
        query.sendKeys("SELECT deviceId FROM devices WHERE STARTS_WITH(deviceId, 'browser-query-')");
        WebElement pageSize = browser.findElement(By.id("query-page-size"));
        pageSize.clear();
        pageSize.sendKeys("2");

        browser.findElement(By.id("run-query")).click();
        await().atMost(WAIT).until(() -> text("#query-status").startsWith("page 1"));
        List<String> firstPage = browser.findElements(By.cssSelector("#query-results tbody tr")).stream()
                .map(WebElement::getText).toList();
        browser.findElement(By.id("next-page")).click();
        await().atMost(WAIT).until(() -> text("#query-status").startsWith("page 2"));

        assertThat(firstPage).containsExactly("browser-query-1", "browser-query-2");
        assertThat(browser.findElements(By.cssSelector("#query-results tbody tr"))).extracting(WebElement::getText)
                .containsExactly("browser-query-3");
        assertThat(text("#query-status")).contains("last page");
        assertThat(browser.findElement(By.id("next-page")).isDisplayed()).isFalse();
    }

    @Test
    void a_query_error_points_at_the_line_and_column() {
        WebElement query = browser.findElement(By.id("query-text"));
        query.clear();
        query.sendKeys("SELECT * FROM devices WHERE tags.plant = ");

        browser.findElement(By.id("run-query")).click();

        await().atMost(WAIT).until(() -> browser.findElement(By.id("query-error")).isDisplayed());
        assertThat(text("#query-error")).contains("400").contains("line 1, column");
    }

    @Test
    void without_the_secret_or_with_a_wrong_one_the_page_is_refused() {
        browser.manage().deleteAllCookies();
        browser.get(base.toString());
        assertThat(browser.findElement(By.tagName("body")).getText()).startsWith("401");

        browser.get(base.resolve("/?token=wrong-secret").toString());
        assertThat(browser.findElement(By.tagName("body")).getText()).startsWith("403");
        assertThat(browser.findElements(By.id("device-list"))).isEmpty();
    }

    @Test
    void a_page_reached_under_another_name_is_refused() {
        URI inspector = URI.create(url);
        browser.get("http://" + FOREIGN_NAME + ":" + inspector.getPort() + "/?" + inspector.getQuery());

        assertThat(browser.findElement(By.tagName("body")).getText()).startsWith("403").contains("Host");
        assertThat(browser.findElements(By.id("device-list"))).isEmpty();
    }

    @Test
    void a_form_on_another_site_cannot_create_a_device() throws Exception {
        URI inspector = URI.create(url);
        // the classic JSON CSRF: a text/plain form whose one field makes the body {"deviceId":"csrf-device","x":"="}
        String form = "<!DOCTYPE html><html><body><form id='attack' method='POST' enctype='text/plain' action='"
                + inspector.resolve("/api/devices") + "?" + inspector.getQuery() + "'>"
                + "<input name='{\"deviceId\":\"csrf-device\",\"x\":\"' value='\"}'>"
                + "<button id='go' type='submit'>go</button></form></body></html>";
        HttpServer foreign = HttpServer.create(new InetSocketAddress(inspector.getHost(), 0), 0);
        foreign.createContext("/", exchange -> {
            byte[] page = form.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        foreign.start();
        try {
            browser.get("http://" + FOREIGN_NAME + ":" + foreign.getAddress().getPort() + "/");
            browser.findElement(By.id("go")).click();

            await().atMost(WAIT).until(() -> browser.findElement(By.tagName("body")).getText().startsWith("403"));
            assertThat(browser.findElement(By.tagName("body")).getText()).contains("Origin");
            assertThat(new InspectorHttp(url).send("GET", "/api/twin?id=csrf-device", null).status())
                    .as("no such device").isEqualTo(404);
        } finally {
            foreign.stop(0);
        }
    }
}
