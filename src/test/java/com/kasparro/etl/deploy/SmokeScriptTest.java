package com.kasparro.etl.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs scripts/smoke_test.sh: its syntax, its failure against a dead URL (fast, with the
 * FAILED message), and a full cycle against a small fake of the service's HTTP contract
 * that "ingests" the inbox the way the contract says (hidden and non-.csv files ignored,
 * processed files moved to .done/), so the script's JSON parsing and its checks are
 * exercised without the application.
 */
class SmokeScriptTest {

    static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    static final Path SCRIPT = ROOT.resolve("scripts/smoke_test.sh");

    @TempDir
    Path inbox;

    FakeService fake;

    @AfterEach
    void stop() {
        if (fake != null) {
            fake.server.stop(0);
        }
    }

    @Test
    void scriptIsValidBashAndExecutable() throws Exception {
        assertThat(SCRIPT).isRegularFile();
        assertThat(Files.isExecutable(SCRIPT)).as("scripts/smoke_test.sh is executable").isTrue();
        Result r = run(List.of("bash", "-n", SCRIPT.toString()), Map.of(), Duration.ofSeconds(30));
        assertThat(r.exit).as("bash -n: %s", r.stderr).isZero();
        assertThat(Files.readString(SCRIPT)).startsWith("#!/usr/bin/env bash").contains("set -euo pipefail");
    }

    @Test
    void shellcheckIsClean() throws Exception {
        assumeTrue(onPath("shellcheck"), "shellcheck not installed");
        Result r = run(List.of("shellcheck", SCRIPT.toString()), Map.of(), Duration.ofSeconds(60));
        assertThat(r.exit).as("shellcheck: %s%s", r.stdout, r.stderr).isZero();
    }

    @Test
    void failsFastAgainstADeadUrl() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        long start = System.nanoTime();
        Result r = run(List.of("bash", SCRIPT.toString(), "http://127.0.0.1:" + port, inbox.toString()),
                Map.of("SMOKE_HEALTH_TIMEOUT", "3"), Duration.ofSeconds(30));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(r.exit).isNotZero();
        assertThat(r.stderr).contains("SMOKE TEST FAILED").contains("/health");
        assertThat(r.stdout).doesNotContain("SMOKE TEST PASSED");
        assertThat(took).as("bounded by SMOKE_HEALTH_TIMEOUT").isLessThan(Duration.ofSeconds(15));
        assertThat(listInbox()).as("nothing dropped when the service is down").isEmpty();
    }

    @Test
    void failsOnAMissingInboxDirectory() throws Exception {
        Result r = run(List.of("bash", SCRIPT.toString(), "http://127.0.0.1:9", inbox.resolve("nope").toString()),
                Map.of("SMOKE_HEALTH_TIMEOUT", "1"), Duration.ofSeconds(30));
        assertThat(r.exit).isNotZero();
        assertThat(r.stderr).contains("SMOKE TEST FAILED").contains("does not exist");
    }

    @Test
    void passesAFullCycleAndCanBeRunAgain() throws Exception {
        assumeTrue(onPath("curl"), "curl not installed");
        fake = new FakeService(inbox, false);
        for (int attempt = 1; attempt <= 2; attempt++) {
            Result r = runAgainstFake(Duration.ofSeconds(60));
            assertThat(r.exit).as("attempt %d\nstdout:\n%s\nstderr:\n%s", attempt, r.stdout, r.stderr).isZero();
            assertThat(r.stdout).contains("SMOKE TEST PASSED");
        }
        assertThat(fake.problems).as("the fake saw only complete, visible files").isEmpty();
        assertThat(fake.records.get("products_csv")).isEqualTo(100 + 2 * 3);
        assertThat(fake.records.get("vendors_csv")).isEqualTo(50 + 2 * 2);
        try (Stream<Path> done = Files.list(inbox.resolve(".done"))) {
            assertThat(done.map(p -> p.getFileName().toString()).toList()).hasSize(4)
                    .allMatch(n -> n.matches("(products|vendors)-smoke-[0-9]+-[0-9]+-[0-9]+\\.csv"));
        }
        assertThat(listInbox()).as("no temporary file left behind").containsExactly(".done");
    }

    @Test
    void failsWhenTheCountsDoNotGrowAsExpected() throws Exception {
        assumeTrue(onPath("curl"), "curl not installed");
        fake = new FakeService(inbox, true); // loses one valid product
        Result r = runAgainstFake(Duration.ofSeconds(60));
        assertThat(r.exit).isNotZero();
        assertThat(r.stderr).contains("SMOKE TEST FAILED").contains("products_csv");
        assertThat(r.stdout).doesNotContain("SMOKE TEST PASSED");
    }

    // ------------------------------------------------------------------ helpers

    Result runAgainstFake(Duration limit) throws Exception {
        return run(List.of("bash", SCRIPT.toString(), "http://127.0.0.1:" + fake.server.getAddress().getPort(),
                        inbox.toString()),
                Map.of("SMOKE_HEALTH_TIMEOUT", "10", "SMOKE_TIMEOUT", "8"), limit);
    }

    List<String> listInbox() throws IOException {
        try (Stream<Path> files = Files.list(inbox)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    record Result(int exit, String stdout, String stderr) {
    }

    static Result run(List<String> command, Map<String, String> env, Duration limit) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
        pb.environment().putAll(env);
        Path out = Files.createTempFile("smoke-out", ".txt");
        Path err = Files.createTempFile("smoke-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                new java.io.File("/dev/null")));
        Process p = pb.start();
        try {
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("did not finish within " + limit + ": " + command
                        + "\nstdout:\n" + Files.readString(out) + "\nstderr:\n" + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    /**
     * Fake of the service's HTTP contract: /health, /stats, /runs, /rejections. On every request it
     * "ingests" complete visible *.csv files of the inbox, with the contract's validation rules for
     * the columns the samples use.
     */
    static final class FakeService {
        final HttpServer server;
        final Path inbox;
        final boolean loseAProduct;
        final Map<String, Integer> records = new HashMap<>(Map.of("coingecko_api", 17000, "products_csv", 100,
                "vendors_csv", 50));
        final List<String> runs = new ArrayList<>(); // JSON objects, oldest first
        final Map<Integer, Integer> rejectedByRun = new HashMap<>();
        final List<String> problems = new ArrayList<>();

        FakeService(Path inbox, boolean loseAProduct) throws IOException {
            this.inbox = inbox;
            this.loseAProduct = loseAProduct;
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", this::handle);
            server.start();
        }

        synchronized void handle(HttpExchange ex) throws IOException {
            try {
                ingest();
                String path = ex.getRequestURI().getPath();
                String query = ex.getRequestURI().getQuery() == null ? "" : ex.getRequestURI().getQuery();
                switch (path) {
                    case "/health" -> send(ex, 200, "{\"status\":\"ok\",\"database\":\"ok\"}");
                    // Pretty-printed, with look-alike keys before records_by_source.
                    case "/stats" -> send(ex, 200, """
                            {
                              "total_runs" : %d,
                              "successful_runs" : %d,
                              "failed_runs" : 0,
                              "records" : { "coingecko_api" : 1, "products_csv" : 1, "vendors_csv" : 1 },
                              "checkpoints" : { "products_csv" : "x.csv" },
                              "records_by_source" : {
                                "coingecko_api" : %d,
                                "products_csv" : %d,
                                "vendors_csv" : %d
                              }
                            }""".formatted(runs.size(), runs.size(), records.get("coingecko_api"),
                            records.get("products_csv"), records.get("vendors_csv")));
                    case "/runs" -> {
                        String source = param(query, "source");
                        List<String> items = new ArrayList<>();
                        for (int i = runs.size() - 1; i >= 0; i--) {
                            if (source == null || runs.get(i).contains("\"source\":\"" + source + "\"")) {
                                items.add(runs.get(i));
                            }
                        }
                        send(ex, 200, "{\"items\":[" + String.join(",", items) + "],\"total\":" + items.size() + "}");
                    }
                    case "/rejections" -> {
                        int runId = Integer.parseInt(param(query, "run_id"));
                        int n = rejectedByRun.getOrDefault(runId, 0);
                        List<String> items = new ArrayList<>();
                        for (int i = 0; i < n; i++) {
                            items.add("{\"id\":" + (i + 1) + ",\"run_id\":" + runId + ",\"line\":" + (i + 2)
                                    + ",\"raw\":\"a,b\",\"reason\":\"bad\"}");
                        }
                        send(ex, 200, "{\"items\":[" + String.join(",", items) + "],\"total\":" + n + "}");
                    }
                    default -> send(ex, 404, "{\"title\":\"Not Found\",\"status\":404}");
                }
            } catch (RuntimeException e) {
                problems.add(e.toString());
                send(ex, 500, "{\"status\":500}");
            }
        }

        static String param(String query, String name) {
            for (String kv : query.split("&")) {
                if (kv.startsWith(name + "=")) {
                    return kv.substring(name.length() + 1);
                }
            }
            return null;
        }

        void ingest() throws IOException {
            List<Path> files;
            try (Stream<Path> list = Files.list(inbox)) {
                files = list.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.startsWith(".") || !name.toLowerCase().endsWith(".csv")) {
                    continue; // the contract: left alone
                }
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                String source = name.toLowerCase().startsWith("products") ? "products_csv"
                        : name.toLowerCase().startsWith("vendors") ? "vendors_csv" : null;
                if (source == null) {
                    problems.add("unexpected file " + name);
                    continue;
                }
                int expectedLines = source.equals("products_csv") ? 6 : 5;
                if (lines.size() != expectedLines) {
                    problems.add("incomplete file seen: " + name + " " + lines.size());
                }
                int inserted = 0;
                int rejected = 0;
                for (String line : lines.subList(1, lines.size())) {
                    String[] c = line.split(",", -1);
                    boolean valid = c.length >= 4 && !c[0].isBlank() && !c[1].isBlank() && !c[2].isBlank()
                            && positive(c[3]);
                    if (valid) {
                        inserted++;
                    } else {
                        rejected++;
                    }
                }
                if (loseAProduct && source.equals("products_csv")) {
                    inserted--;
                }
                records.merge(source, inserted, Integer::sum);
                int id = runs.size() + 1;
                rejectedByRun.put(id, rejected);
                runs.add(("{\"id\":%d,\"source\":\"%s\",\"status\":\"success\",\"file_name\":\"%s\","
                        + "\"records_read\":%d,\"records_inserted\":%d,\"records_updated\":0,\"records_skipped\":0,"
                        + "\"records_rejected\":%d,\"error_message\":null}")
                        .formatted(id, source, name, lines.size() - 1, inserted, rejected));
                Path done = inbox.resolve(".done");
                Files.createDirectories(done);
                Files.move(file, done.resolve(name));
            }
        }

        static boolean positive(String s) {
            try {
                return new java.math.BigDecimal(s.trim()).signum() > 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }

        static void send(HttpExchange ex, int status, String body) {
            try {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(status, bytes.length);
                ex.getResponseBody().write(bytes);
                ex.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
