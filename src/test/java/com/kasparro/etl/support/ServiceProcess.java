package com.kasparro.etl.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged service ({@code target/kasparro-etl.jar}) as a real child process. */
public final class ServiceProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target", "kasparro-etl.jar").toAbsolutePath();

    private final List<String> args;
    private final Map<String, String> env;
    private final Path log;
    private final int httpPort;
    private Process process;

    public ServiceProcess(Path workDir, int httpPort, Map<String, String> env, String... args) {
        this.httpPort = httpPort;
        this.env = env;
        this.log = workDir.resolve("service-" + httpPort + ".log");
        this.args = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", JAR.toString(), "--server.port=" + httpPort));
        this.args.addAll(List.of(args));
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public ServiceProcess start() throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run the integration tests with ./mvnw verify");
        }
        // The work folder is the working directory: a config/application.yml there is the user's own.
        ProcessBuilder builder = new ProcessBuilder(args).directory(log.getParent().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        process = builder.start();
        return this;
    }

    public ServiceProcess awaitHealthy(Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("service exited with " + process.exitValue() + ", see " + log);
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        return this;
    }

    /** The operating system's id of the process: the pid of its {@code pid@host} instance id. */
    public long pid() {
        return process.pid();
    }

    public String baseUrl() {
        return "http://localhost:" + httpPort;
    }

    /** SIGKILL: no shutdown hook, no graceful anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Waits for the process to end by itself (a start that fails); returns how long it ran. */
    public Duration awaitExit(Duration limit) throws InterruptedException {
        long started = process.info().startInstant().map(java.time.Instant::toEpochMilli)
                .orElse(System.currentTimeMillis());
        if (!process.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("the service did not exit within " + limit + ", see " + log);
        }
        return Duration.ofMillis(System.currentTimeMillis() - started);
    }

    /** SIGTERM, as Kubernetes and Docker stop a container: returns how long the process took to exit. */
    public Duration terminate(Duration limit) throws InterruptedException {
        long started = System.nanoTime();
        process.destroy();
        if (!process.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("the service did not exit within " + limit + " of SIGTERM, see " + log);
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
