package chat.web;

import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;

/**
 * One headless Chromium (Debian's, with its chromedriver: Selenium Manager never runs, so nothing is downloaded)
 * showing the chat page, and what a person does with it. Controls are found the way a screen reader finds them,
 * by role and accessible name, so the tests also check that the page names its controls as the issue asks.
 */
final class Browser implements AutoCloseable {
    /** How long a step may take on a loaded machine; the waits end as soon as the page is there. */
    static final Duration STEP = Duration.ofSeconds(15);

    private final ChromeDriver driver;
    private final String name;

    private Browser(ChromeDriver driver, String name) {
        this.driver = driver;
        this.name = name;
    }

    /** A fresh browser (its own profile, so its own sessionStorage) at the page of {@code url}. */
    static Browser open(String url, String name) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("chat.chromium", "/usr/bin/chromium"));
        // --no-sandbox: tests may run as root, where Chromium's sandbox refuses to start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1000,640",
                "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-extensions");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("chat.chromedriver", "/usr/bin/chromedriver")))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(STEP).scriptTimeout(STEP);
        Browser browser = new Browser(driver, name);
        driver.get(url);
        return browser;
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Waits (within {@link #STEP}) until {@code condition} gives something other than null or false. */
    <T> T waitFor(String what, Function<WebDriver, T> condition) {
        return waitFor(what, STEP, condition);
    }

    <T> T waitFor(String what, Duration within, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, within, Duration.ofMillis(20))
                .ignoring(StaleElementReferenceException.class)
                .withMessage(() -> name + ": " + what)
                .until(condition);
    }

    /** The visible control of this tag with this accessible name, if there is one now. */
    Optional<WebElement> find(String cssSelector, String accessibleName) {
        for (WebElement element : driver.findElements(By.cssSelector(cssSelector))) {
            if (element.isDisplayed() && accessibleName.equals(element.getAccessibleName())) {
                return Optional.of(element);
            }
        }
        return Optional.empty();
    }

    /** A text field (input or textarea) by its label. */
    WebElement field(String label) {
        try {
            return waitFor("a field labelled '" + label + "'", d -> find("input, textarea", label).orElse(null));
        } catch (RuntimeException e) {
            // Say what is there instead: a renamed label reads as such, not as a page that never came.
            throw new AssertionError(e.getMessage() + "; the fields shown are named " + driver.findElements(
                    By.cssSelector("input, textarea")).stream().filter(WebElement::isDisplayed)
                    .map(WebElement::getAccessibleName).toList(), e);
        }
    }

    WebElement button(String name) {
        return waitFor("a button named '" + name + "'", d -> find("button", name).orElse(null));
    }

    void type(String label, String text) {
        WebElement field = field(label);
        field.clear();
        field.sendKeys(text);
    }

    void logOn(String username, String password) {
        type("Username", username);
        type("Password", password);
        button("Log on").click();
    }

    /** Logs on and waits until the chat is there (its Log off button). */
    void logOnAndWait(String username, String password) {
        logOn(username, password);
        button("Log off");
    }

    void createChannel(String channel) {
        type("New channel", channel);
        button("Create").click();
        waitFor("the New channel field to clear after creating " + channel, d -> field("New channel")
                .getAttribute("value").isEmpty());
    }

    /** The accessible names of the channel list's buttons: "general", or "general 3" with 3 unread. */
    List<String> channelButtons() {
        WebElement list = waitFor("the list named Channels", d -> find("ul", "Channels").orElse(null));
        return list.findElements(By.tagName("button")).stream().map(WebElement::getAccessibleName).toList();
    }

    void openChannel(String channel) {
        waitFor("a channel button for " + channel, d -> channelButtonFor(channel)).click();
        waitFor("the log to be titled " + channel, d -> channel.equals(log().getAccessibleName()));
    }

    private WebElement channelButtonFor(String channel) {
        WebElement list = find("ul", "Channels").orElse(null);
        if (list == null) {
            return null;
        }
        for (WebElement button : list.findElements(By.tagName("button"))) {
            String named = button.getAccessibleName();
            if (named.equals(channel) || named.matches(java.util.regex.Pattern.quote(channel) + " [0-9]+")) {
                return button;
            }
        }
        return null;
    }

    /** Types a message and sends it with Enter, as a person would. */
    void send(String message) {
        WebElement field = field("Message");
        field.sendKeys(message);
        field.sendKeys(Keys.ENTER);
    }

    /** The element with role log: the open channel's messages. */
    WebElement log() {
        return waitFor("an element with role log", d -> d.findElements(By.cssSelector("[role=log]")).stream()
                .filter(e -> "log".equals(e.getAriaRole())).findFirst().orElse(null));
    }

    /** The log's items as their visible text: "alice hi" (with the time first when the server gives one). */
    /**
     * The log's items as text, each message's time left out: the server's clock gives it, in the browser's locale,
     * which a test does not choose (the tests count the time elements instead).
     */
    List<String> logLines() {
        return log().findElements(By.tagName("li")).stream().map(Browser::untimed).toList();
    }

    private static String untimed(WebElement item) {
        String text = item.getText();
        List<WebElement> time = item.findElements(By.tagName("time"));
        String shown = time.isEmpty() ? "" : time.get(0).getText();
        return !shown.isEmpty() && text.startsWith(shown) ? text.substring(shown.length()).strip() : text;
    }

    /** Waits until an item of the log holds this user's message, and returns the item. */
    WebElement awaitMessage(String username, String text) {
        return waitFor("a message from " + username + " saying '" + text + "'", d -> {
            for (WebElement item : log().findElements(By.tagName("li"))) {
                List<WebElement> who = item.findElements(By.className("who"));
                List<WebElement> said = item.findElements(By.className("text"));
                if (!who.isEmpty() && !said.isEmpty() && who.get(0).getText().equals(username)
                        && said.get(0).getText().equals(text)) {
                    return item;
                }
            }
            return null;
        });
    }

    /** What the page says in its alert, or "" when none is shown. */
    String notice() {
        WebElement alert = driver.findElement(By.cssSelector("[role=alert]"));
        return alert.isDisplayed() ? alert.getText() : "";
    }

    /** The connection line (role status): "Connected", "Connection lost; ...". */
    String connection() {
        List<WebElement> status = driver.findElements(By.cssSelector("[role=status]"));
        return status.isEmpty() ? "" : status.get(0).getText();
    }

    /** What the browser's console took, errors included (a Content-Security-Policy violation is one). */
    List<LogEntry> consoleEntries() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    /** A PNG of the page, under target/screenshots/, for a person to look at. */
    Path screenshot(String file) {
        try {
            Path dir = Path.of(System.getProperty("chat.screenshots", "target/screenshots"));
            Files.createDirectories(dir);
            Path target = dir.resolve(file + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
