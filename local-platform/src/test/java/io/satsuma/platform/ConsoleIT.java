package io.satsuma.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.sandbox.ChannelSandbox;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.devtools.DevTools;
import org.openqa.selenium.devtools.v156.audits.Audits;
import org.openqa.selenium.devtools.v156.page.Page;
import org.openqa.selenium.devtools.v156.page.model.Viewport;
import org.openqa.selenium.devtools.v156.runtime.Runtime;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser: Debian's headless Chromium driven by Selenium through Debian's chromedriver,
 * against the packaged platform. People sign in through the dev issuer's authorization-code flow; every number
 * checked on screen is compared with what the APIs answer for the same question. Screenshots are saved under
 * {@code local-platform/target/console-screenshots} for review.
 */
@ExtendWith(SharedPlatform.Resolver.class)
class ConsoleIT {
    private static final Path CHROMIUM = Path.of(System.getProperty("satsuma.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("satsuma.chromedriver", "/usr/bin/chromedriver"));
    private static final Dimension LAPTOP = new Dimension(1366, 768);
    private static final int CUSTOMERS = 120;

    private static final SatsumaHttp http = new SatsumaHttp();
    private static Platform platform;
    private static Path shots;
    private static Path downloads;
    private static ChromeDriver browser;
    private static DevTools devTools;
    private static WebDriverWait wait;
    private static String workspace;
    private static String admin;
    private static String segmentId;
    private static String loyalId;
    private static final List<String> lifecycle = new ArrayList<>();
    private static final List<String> pageProblems = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void setUp(SharedPlatform shared) throws Exception {
        platform = shared.platform;
        ChannelSandbox sandbox = shared.sandbox;
        shots = shared.root.resolve("local-platform/target/console-screenshots");
        downloads = shared.root.resolve("local-platform/target/console-downloads");
        Files.createDirectories(shots);
        Files.createDirectories(downloads);

        workspace = "console-" + UUID.randomUUID().toString().substring(0, 8);
        admin = token("admin");
        String writeKey = http.create(url("profile-service") + "/v1/sources", admin, Map.of("name", "store"))
                .path("writeKey").asText();
        segmentId = http.create(url("segment-service") + "/v1/segments", admin, Map.of(
                "name", "Ordered in the last 30 days", "holdoutPercent", 20,
                "condition", Map.of("event", "Order Completed", "within", "P30D", "op", "gte", "value", 1))).path("id").asText();
        http.create(url("segment-service") + "/v1/library/install", admin, Map.of());
        for (JsonNode s : http.get(url("segment-service") + "/v1/segments", admin).json()) {
            if ("lifecycle".equals(s.path("exclusionGroup").asText())) {
                lifecycle.add(s.path("id").asText());
                if ("Loyal".equals(s.path("name").asText())) {
                    loyalId = s.path("id").asText();
                }
            }
        }
        String destination = http.create(url("activation-service") + "/v1/destinations", admin, Map.of(
                "name", "crm", "type", "webhook", "url", sandbox.baseUrl("webhook") + "/console-" + workspace)).path("id").asText();
        http.create(url("activation-service") + "/v1/syncs", admin, Map.of("segmentId", segmentId, "destinationId", destination));

        List<Map<String, Object>> messages = OnlineRetail.messages(shared.root.resolve("../shared/data/online_retail.csv.gz"),
                CUSTOMERS, Instant.now());
        for (int from = 0; from < messages.size(); from += 100) {
            SatsumaHttp.Reply reply = http.postWithWriteKey(url("profile-service") + "/v1/batch", writeKey,
                    Map.of("batch", messages.subList(from, Math.min(from + 100, messages.size()))));
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        }
        assertThat(platform.awaitIdle(Duration.ofMinutes(3))).isTrue();
        browser = startChromium();
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        // Through the DevTools protocol: every uncaught script error and every Content-Security-Policy violation.
        devTools = browser.getDevTools();
        devTools.createSession();
        devTools.send(Audits.enable());
        devTools.send(Runtime.enable());
        // Chromium reports policy violations as DevTools issues, not console messages.
        devTools.addListener(Audits.issueAdded(), issue -> issue.getDetails().getContentSecurityPolicyIssueDetails()
                .ifPresent(csp -> pageProblems.add("Content-Security-Policy violated: " + csp.getViolatedDirective())));
        devTools.addListener(Runtime.exceptionThrown(), thrown -> pageProblems.add(thrown.getExceptionDetails().getText()
                + thrown.getExceptionDetails().getException().flatMap(e -> e.getDescription()).map(d -> ": " + d).orElse("")));
    }

    @AfterEach
    void theConsoleRaisedNoScriptErrorAndBrokeNoPolicy() {
        List<String> problems = new ArrayList<>(pageProblems);
        pageProblems.clear();
        assertThat(problems).isEmpty();
    }

    @AfterAll
    static void tearDown() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aMarketerSignsInAndSeesEverySegmentWithTheSizeTheApiGives() throws IOException {
        signIn("maria");
        assertThat(browser.findElement(By.cssSelector("[data-testid=who]")).getText())
                .contains("maria", workspace, "segment-editor");
        JsonNode segments = http.get(url("segment-service") + "/v1/segments", admin).json();
        for (JsonNode segment : segments) {
            String id = segment.path("id").asText();
            long size = apiSize(id);
            WebElement cell = browser.findElement(By.cssSelector("tr[data-segment-id='" + id + "'] [data-testid=size]"));
            wait.until(d -> !cell.getText().equals("…"));
            assertThat(cell.getText()).as(segment.path("name").asText()).isEqualTo(integer(size));
        }
        wait.until(d -> d.findElements(By.cssSelector("tr[data-segment-id] .spark svg")).size() == segments.size());
        screenshot("01-segments");
    }

    @Test
    void theSegmentPageShowsTheApisFiguresLiftMembersAndOverlap() throws IOException {
        signIn("maria");
        browser.findElement(By.cssSelector("tr[data-segment-id='" + segmentId + "'] a")).click();
        WebElement size = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=size-now]")));
        assertThat(size.getText()).isEqualTo(integer(apiSize(segmentId)));

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        JsonNode metrics = http.get(url("insights-service") + "/v1/segments/" + segmentId + "/metrics?from="
                + today.minusDays(29) + "&to=" + today + "&bucket=day&conversionDays=7", admin).json();
        long entries = 0;
        long exits = 0;
        long orders = 0;
        BigDecimal net = BigDecimal.ZERO;
        for (JsonNode bucket : metrics.path("buckets")) {
            entries += bucket.path("entries").asLong();
            exits += bucket.path("exits").asLong();
            orders += bucket.path("orders").asLong();
            net = net.add(bucket.path("netRevenue").decimalValue());
        }
        assertThat(entries).isPositive();
        WebElement entriesShown = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=entries]")));
        assertThat(entriesShown.getText()).isEqualTo(integer(entries));
        assertThat(text("[data-testid=exits]")).isEqualTo(integer(exits));
        assertThat(text("[data-testid=orders]")).isEqualTo(integer(orders));
        assertThat(text("[data-testid=net-revenue]")).isEqualTo(money(net));
        JsonNode last = metrics.path("buckets").get(metrics.path("buckets").size() - 1);
        browser.findElement(By.xpath("//summary[starts-with(., 'Figures per')]")).click();
        List<WebElement> lastRow = browser.findElements(By.cssSelector("[data-testid=metrics] tbody tr:last-child td"));
        assertThat(lastRow.get(0).getText()).isEqualTo(last.path("start").asText());
        assertThat(lastRow.get(1).getText()).isEqualTo(integer(last.path("size").asLong()));
        assertThat(lastRow.get(2).getText()).isEqualTo(integer(last.path("entries").asLong()));
        assertThat(lastRow.get(9).getText()).isEqualTo(money(last.path("netRevenue").decimalValue()));

        JsonNode lift = http.get(url("insights-service") + "/v1/segments/" + segmentId + "/lift?from=" + today.minusDays(89)
                + "&to=" + today + "&conversionDays=7&holdoutPercent=20", admin).json();
        WebElement verdict = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=verdict]")));
        assertThat(verdict.getText()).isEqualTo(lift.path("verdict").asText());
        assertThat(browser.findElement(By.cssSelector("[data-testid=lift]")).getText())
                .contains(integer(lift.path("treatment").path("entrants").asLong()),
                        integer(lift.path("control").path("entrants").asLong()));

        WebElement firstMember = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid=members] button")));
        String profileId = firstMember.getText();
        firstMember.click();
        WebElement explain = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=explain]")));
        assertThat(explain.getText()).contains("holds", "event");
        assertThat(http.get(url("segment-service") + "/v1/segments/" + segmentId + "/explain/" + profileId, admin).json()
                .path("member").asBoolean()).isTrue();

        browser.findElement(By.cssSelector("input[type=checkbox][value='" + loyalId + "']")).click();
        browser.findElement(By.xpath("//button[.='Compare']")).click();
        WebElement overlap = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=overlap]")));
        JsonNode pairwise = http.get(url("insights-service") + "/v1/overlap?segments=" + segmentId + "," + loyalId, admin)
                .json().path("pairwise");
        List<WebElement> firstRow = overlap.findElements(By.cssSelector("tbody tr:first-child td"));
        assertThat(firstRow.get(1).getText()).isEqualTo(integer(pairwise.get(0).get(0).asLong()));
        assertThat(firstRow.get(2).getText()).isEqualTo(integer(pairwise.get(0).get(1).asLong()));
        screenshot("02-segment");
    }

    @Test
    void aLifecycleStageShowsTheJourneyMatrixOfTheApi() throws IOException {
        signIn("ana");
        browser.get(platform.consoleUrl() + "#/segments/" + loyalId);
        WebElement journey = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=journey]")));
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        JsonNode counts = http.get(url("insights-service") + "/v1/journeys?segments=" + String.join(",", lifecycle)
                + "&from=" + today.minusDays(89) + "&to=" + today + "&bucket=month", admin).json().path("overall").path("counts");
        List<WebElement> rows = journey.findElements(By.cssSelector("tbody tr"));
        assertThat(rows).hasSize(lifecycle.size() + 1);
        for (int i = 0; i < rows.size(); i++) {
            List<WebElement> cells = rows.get(i).findElements(By.tagName("td"));
            for (int j = 0; j < counts.get(i).size(); j++) {
                assertThat(cells.get(j + 1).getText()).isEqualTo(integer(counts.get(i).get(j).asLong()));
            }
        }
        assertThat(browser.findElements(By.cssSelector(".chart svg"))).isNotEmpty();
        screenshot("03-journey");
    }

    @Test
    void theEditorPreviewsShowsAnErrorAtItsFieldAndSavesASegmentThatIsBackfilled() throws IOException {
        signIn("maria");
        browser.findElement(By.cssSelector("a[data-nav=new]")).click();
        WebElement name = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("s-name")));
        name.sendKeys("Two or more orders in a year");
        WebElement value = browser.findElement(By.cssSelector("[data-pointer='/condition/all/0/value']"));
        replaceText(value, "2");
        WebElement within = browser.findElement(By.cssSelector("[data-pointer='/condition/all/0/within']"));
        replaceText(within, "a year");
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-error-pointer='/condition/all/0/within']")));
        assertThat(within.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(error.getText()).isNotBlank();
        screenshot("04-editor-error");

        replaceText(within, "P365D");
        Map<String, Object> condition = Map.of("all", List.of(Map.of("event", "Order Completed", "within", "P365D",
                "op", "gte", "value", 2)));
        long expected = http.postJson(url("segment-service") + "/v1/segments/preview", admin, Map.of("condition", condition))
                .json().path("size").asLong();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid=preview-size]"), integer(expected)));
        assertThat(browser.findElements(By.cssSelector("[data-error-pointer]"))).isEmpty();
        screenshot("05-editor-preview");

        browser.findElement(By.cssSelector("[data-testid=save]")).click();
        wait.until(ExpectedConditions.attributeToBe(By.cssSelector("[data-testid=backfill]"), "data-status", "DONE"));
        String id = browser.getCurrentUrl().replaceAll("^.*#/segments/", "");
        JsonNode saved = http.get(url("segment-service") + "/v1/segments/" + id, admin).json();
        assertThat(saved.path("name").asText()).isEqualTo("Two or more orders in a year");
        assertThat(saved.path("condition")).isEqualTo(new ObjectMapper().valueToTree(condition));
        browser.navigate().refresh();
        WebElement size = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=size-now]")));
        assertThat(size.getText()).isEqualTo(integer(apiSize(id))).isEqualTo(integer(expected));
        screenshot("06-saved-segment");
    }

    @Test
    void syncsShowTheirStatusAndMembersExportAsCsv() throws Exception {
        signIn("maria");
        browser.findElement(By.cssSelector("a[data-nav=syncs]")).click();
        WebElement syncs = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=syncs]")));
        JsonNode sync = http.get(url("activation-service") + "/v1/syncs", admin).json().get(0);
        JsonNode status = http.get(url("activation-service") + "/v1/syncs/" + sync.path("id").asText() + "/status", admin).json();
        List<WebElement> cells = syncs.findElements(By.cssSelector("tbody tr:first-child td"));
        assertThat(cells.get(0).getText()).isEqualTo("Ordered in the last 30 days");
        assertThat(cells.get(3).getText()).startsWith("ACTIVE");
        assertThat(cells.get(5).getText()).isEqualTo(integer(status.path("sent").asLong()));
        screenshot("07-syncs");

        try (Stream<Path> old = Files.list(downloads)) {
            old.forEach(p -> p.toFile().delete());
        }
        browser.get(platform.consoleUrl() + "#/segments/" + segmentId);
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid=export]"))).click();
        Path csv = downloads.resolve("Ordered_in_the_last_30_days-members.csv");
        wait.until(d -> Files.isRegularFile(csv));
        List<String> members = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = http.get(url("segment-service") + "/v1/segments/" + segmentId + "/members?limit=1000"
                    + (cursor == null ? "" : "&cursor=" + cursor), admin).json();
            page.path("profileIds").forEach(p -> members.add(p.asText()));
            cursor = page.path("nextCursor").isNull() || page.path("nextCursor").isMissingNode() ? null : page.path("nextCursor").asText();
        } while (cursor != null);
        List<String> lines = new ArrayList<>(List.of("profile_id"));
        lines.addAll(members);
        assertThat(Files.readAllLines(csv)).isEqualTo(lines);
    }

    @Test
    void anAnalystFitsTheModelsSeesARefusalsReasonAndAMembersPredictions() throws IOException {
        signIn("ana");
        browser.findElement(By.cssSelector("a[data-nav=models]")).click();
        WebElement end = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("fit-end")));
        // Before any order: nobody to fit, refused with the reason the API gives.
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1]", end,
                LocalDate.now(ZoneOffset.UTC).minusDays(800).toString());
        browser.findElement(By.cssSelector("[data-testid=fit]")).click();
        wait.until(ExpectedConditions.textMatches(By.cssSelector("[data-testid=fit-status]"), Pattern.compile("REFUSED")));
        JsonNode refused = http.get(url("insights-service") + "/v1/models", admin).json().path("fits").get(0);
        assertThat(refused.path("status").asText()).isEqualTo("REFUSED");
        assertThat(text("[data-testid=fit-status]")).contains(refused.path("reason").asText());
        screenshot("09-models-refused");

        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1]",
                browser.findElement(By.id("fit-end")), LocalDate.now(ZoneOffset.UTC).toString());
        browser.findElement(By.cssSelector("[data-testid=fit]")).click();
        wait.until(ExpectedConditions.textMatches(By.cssSelector("[data-testid=fit-status]"), Pattern.compile("DONE")));
        JsonNode current = http.get(url("insights-service") + "/v1/models", admin).json().path("current");
        WebElement model = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=current-model]")));
        assertThat(model.getText()).contains(String.format(Locale.ROOT, "r = %.4f", current.path("bgnbd").path("r").asDouble()),
                String.format(Locale.ROOT, "γ = %.4f", current.path("gammaGamma").path("gamma").asDouble()));
        screenshot("10-models-fitted");

        browser.get(platform.consoleUrl() + "#/segments/" + segmentId);
        WebElement member = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid=members] button")));
        String profileId = member.getText();
        member.click();
        WebElement predictions = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-testid=predictions] table")));
        JsonNode predicted = http.get(url("insights-service") + "/v1/profiles/" + profileId + "/predictions", admin).json();
        List<WebElement> cells = predictions.findElements(By.cssSelector("tbody td"));
        assertThat(cells.get(0).getText()).isEqualTo(percent(predicted.path("pAlive").asDouble()));
        assertThat(cells.get(4).getText()).isEqualTo(money(predicted.path("value365Days").decimalValue()));
        screenshot("11-member-predictions");
    }

    @Test
    void theKeyboardAloneReachesASegmentAndFocusFollowsThePage() {
        signIn("ana");
        WebElement link = browser.findElement(By.cssSelector("tr[data-segment-id='" + segmentId + "'] a"));
        browser.findElement(By.tagName("body")).sendKeys(Keys.TAB);
        for (int tabs = 0; tabs < 60 && !link.equals(browser.switchTo().activeElement()); tabs++) {
            browser.switchTo().activeElement().sendKeys(Keys.TAB);
        }
        assertThat(browser.switchTo().activeElement()).isEqualTo(link);
        link.sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Ordered in the last 30 days"));
        // After a page change the focus moves to its heading, where a screen reader starts reading.
        assertThat(browser.switchTo().activeElement().getTagName()).isEqualTo("h1");
    }

    @Test
    void anAnalystReadsButIsOfferedNoEditingAndTheEditorIsRefused() throws IOException {
        signIn("ana");
        assertThat(browser.findElement(By.cssSelector("a[data-nav=new]")).isDisplayed()).isFalse();
        browser.get(platform.consoleUrl() + "#/segments/" + segmentId);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=size-now]")));
        assertThat(browser.findElements(By.xpath("//a[.='Edit']"))).isEmpty();
        browser.get(platform.consoleUrl() + "#/segments/new");
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Not allowed"));
        screenshot("08-analyst-refused");
    }

    // --- helpers ---

    /** Signs in through the dev issuer's sign-in page, as a person of {@code DevOidcIssuer.DEV_USERS}. */
    private static void signIn(String username) {
        browser.get(platform.consoleUrl() + "config.json");
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.get(platform.consoleUrl() + "#/segments");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in")));
        browser.findElement(By.cssSelector("input[name=username][value='" + username + "']")).click();
        replaceText(browser.findElement(By.id("workspace")), workspace);
        browser.findElement(By.id("sign-in")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=segments]")));
    }

    private static void replaceText(WebElement input, String text) {
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        input.sendKeys(text);
    }

    private static String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    /** The whole page at the laptop's width (DevTools captures beyond the viewport), after checking it fits that width. */
    private static void screenshot(String name) throws IOException {
        Number height = (Number) ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollHeight");
        Number width = (Number) ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollWidth");
        assertThat(width.intValue()).as("%s fits a laptop's width", name).isLessThanOrEqualTo(LAPTOP.width);
        String png = devTools.send(Page.captureScreenshot(Optional.empty(), Optional.empty(),
                Optional.of(new Viewport(0, 0, LAPTOP.width, height.intValue(), 1)), Optional.empty(), Optional.of(true),
                Optional.empty()));
        Files.write(shots.resolve(name + ".png"), Base64.getDecoder().decode(png));
    }

    private static ChromeDriver startChromium() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("ConsoleIT needs Debian's chromium and chromium-driver (" + CHROMIUM + ", "
                    + CHROMEDRIVER + "): apt-get install chromium chromium-driver, as .ci/run does");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // The flags that keep Chromium from calling Google's hosts, which this network refuses.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=" + LAPTOP.width + "," + LAPTOP.height);
        Map<String, Object> prefs = new HashMap<>();
        prefs.put("download.default_directory", downloads.toString());
        prefs.put("download.prompt_for_download", false);
        options.setExperimentalOption("prefs", prefs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static long apiSize(String id) {
        return http.get(url("segment-service") + "/v1/segments/" + id + "/size", admin).json().path("size").asLong();
    }

    private static String url(String service) {
        return platform.url(service);
    }

    private static String token(String... roles) {
        return platform.infrastructure().oidc().mint(workspace, List.of(roles), Duration.ofHours(1));
    }

    /** As the console's Intl.NumberFormat('en-GB') writes them. */
    private static String integer(long value) {
        return String.format(Locale.UK, "%,d", value);
    }

    private static String percent(double share) {
        DecimalFormat format = new DecimalFormat("#,##0.#%", DecimalFormatSymbols.getInstance(Locale.UK));
        format.setRoundingMode(RoundingMode.HALF_UP);
        return format.format(share);
    }

    private static String money(BigDecimal value) {
        DecimalFormat format = new DecimalFormat("#,##0.00", DecimalFormatSymbols.getInstance(Locale.UK));
        format.setRoundingMode(RoundingMode.HALF_UP);
        return format.format(value);
    }
}
