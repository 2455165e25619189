package com.kasparro.etl.support;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Debian's headless Chromium driven by its own chromedriver: both binaries are named, so Selenium
 * Manager never looks for (or downloads) a browser, and the browser is told not to reach out
 * (updates, sync, QUIC). Each browser gets a fresh profile. The console is read through
 * chromedriver's browser log.
 */
public final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target/screenshots");

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Why browser tests are skipped on a machine without Chromium, and how to install it. */
    public static final String NOT_INSTALLED = "Browser tests skipped: no /usr/bin/chromium or /usr/bin/chromedriver;"
            + " install them with: apt-get install -y chromium chromium-driver";

    /**
     * For {@code @EnabledIf}, which asks once per test class: Debian's chromium and chromium-driver
     * are installed. When they are not, says so in one line on the console, as well as in the skip
     * reason that only the Surefire report shows.
     */
    public static boolean installed() {
        return installed(CHROMIUM, CHROMEDRIVER, Console.ERR);
    }

    static boolean installed(Path chromium, Path chromedriver, PrintStream console) {
        boolean installed = Files.isExecutable(chromium) && Files.isExecutable(chromedriver);
        if (!installed) {
            console.println(NOT_INSTALLED);
        }
        return installed;
    }

    /**
     * The process's own standard error, not {@code System.err}: Surefire sends a test's output to
     * a file ({@code redirectTestOutputToFile}) but copies what a forked JVM writes to its native
     * stream onto the build's console, as an IDE or a plain {@code java} run does anyway.
     */
    private static final class Console {
        static final PrintStream ERR = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    }

    public static Browser start(int width, int height) throws IOException {
        Path profile = Files.createTempDirectory("kasparro-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height);
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return new Browser(driver, profile);
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** The console's warnings and errors since the last call (CSP violations and failed loads among them). */
    public List<String> consoleProblems() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogEntry::toString).toList();
    }

    /**
     * Closes the page and forgets its console: a page left open keeps polling while the next test
     * empties the database, and its 404s would be charged to the next test's page.
     */
    public void leavePage() {
        driver.get("about:blank");
        consoleProblems();
    }

    /** A PNG of the window under target/screenshots/. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
