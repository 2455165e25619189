package com.kasparro.etl.observe;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.kasparro.etl.config.EtlProperties;
import org.springframework.stereotype.Component;

/**
 * One line about every {@code etl.progress-log-interval} (default 10 s) while a long input is
 * ingested, such as {@code products_big.csv: 120,000 rows (24%), 41,200 rows/s, ETA 18s}.
 * Driven by batch commits: a run that commits no batch logs nothing.
 */
@Component
public class ProgressLog {

    private static final Logger log = LoggerFactory.getLogger(ProgressLog.class);
    private static final long FORGET_AFTER_NANOS = Duration.ofHours(1).toNanos();

    private final long intervalNanos;
    private final Map<Long, RunProgress> runs = new ConcurrentHashMap<>();

    public ProgressLog(EtlProperties properties) {
        this.intervalNanos = properties.progressLogInterval().toNanos();
    }

    private static final class RunProgress {
        final String name;
        final Long totalBytes;
        final long firstNanos;
        final long firstBytes;
        long rows;
        long lastLogNanos;
        long lastSeenNanos;

        RunProgress(String name, Long totalBytes, long now, long firstBytes) {
            this.name = name;
            this.totalBytes = totalBytes;
            this.firstNanos = now;
            this.firstBytes = firstBytes;
            this.lastLogNanos = now;
            this.lastSeenNanos = now;
        }
    }

    /** A run over an input of {@code totalBytes} (null: unknown) starts. */
    public void started(long runId, String name, Long totalBytes) {
        long now = System.nanoTime();
        runs.values().removeIf(old -> now - old.lastSeenNanos > FORGET_AFTER_NANOS);
        runs.put(runId, new RunProgress(name, totalBytes, now, 0));
    }

    /** The run is over: it logs no more. */
    public void finished(long runId) {
        runs.remove(runId);
    }

    /** A batch of {@code rows} rows committed; the input is read up to {@code bytesRead}. */
    public void batchCommitted(long runId, long bytesRead, long rows) {
        RunProgress p = runs.get(runId);
        if (p == null) {
            return; // a run without a known start (an API poll): nothing to estimate
        }
        long now = System.nanoTime();
        p.rows += rows;
        p.lastSeenNanos = now;
        if (now - p.lastLogNanos >= intervalNanos) {
            p.lastLogNanos = now;
            log.info(line(p.name, p, now, p.totalBytes, bytesRead));
        }
    }

    private static String line(String name, RunProgress p, long now, Long totalBytes, long bytesRead) {
        double seconds = (now - p.firstNanos) / 1e9;
        long rowsPerSecond = seconds > 0 ? Math.round(p.rows / seconds) : 0;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s: %,d rows", name, p.rows));
        if (totalBytes != null && totalBytes > 0) {
            line.append(String.format(Locale.ROOT, " (%d%%)", Math.min(100, bytesRead * 100 / totalBytes)));
        }
        line.append(String.format(Locale.ROOT, ", %,d rows/s", rowsPerSecond));
        double bytesPerSecond = seconds > 0 ? (bytesRead - p.firstBytes) / seconds : 0;
        if (totalBytes != null && bytesPerSecond > 0) {
            line.append(", ETA ").append(eta(Math.max(0, totalBytes - bytesRead) / bytesPerSecond));
        }
        return line.toString();
    }

    static String eta(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
