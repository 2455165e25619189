package com.kasparro.etl.ingest.inbox;

import com.kasparro.etl.config.EtlProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.camel.util.AntPathMatcher;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The order in which files arrive in the inbox, which decides whose content a record keeps: a file's
 * arrival is its ctime (set by the rename or the copy that puts it in the inbox, and touched by
 * nothing the service does before the file leaves), then its name, for files that arrive within one
 * tick of the file system's clock. A file system without ctime gives its modification time.
 */
@Component
public class Arrivals {

    /** An inbox file's place in the arrival order. */
    public record Arrival(Instant at, String name) implements Comparable<Arrival> {

        private static final Comparator<Arrival> ORDER =
                Comparator.comparing(Arrival::at).thenComparing(Arrival::name);

        @Override
        public int compareTo(Arrival other) {
            return ORDER.compare(this, other);
        }
    }

    private final Path inbox;
    /**
     * The inbox's files at the last listing, by name. Valid for a file it holds with that file's
     * arrival: whatever arrived before that file was there at the listing too, or has left since;
     * an entry seen gone is dropped. A bulk drop is thus listed once, not once per file, and each
     * file that leaves is looked at once more.
     */
    private volatile Map<String, Arrival> listed = new ConcurrentHashMap<>();

    @Autowired
    public Arrivals(EtlProperties properties) {
        this(properties.inbox().path());
    }

    Arrivals(Path inbox) {
        this.inbox = inbox;
    }

    /** In microseconds, as PostgreSQL keeps it, so that both order two files alike. */
    public static Arrival of(Path file) throws IOException {
        FileTime time;
        try {
            time = (FileTime) Files.getAttribute(file, "unix:ctime");
        } catch (UnsupportedOperationException | IllegalArgumentException noCtime) {
            time = Files.getLastModifiedTime(file);
        }
        return new Arrival(time.toInstant().truncatedTo(ChronoUnit.MICROS), file.getFileName().toString());
    }

    /**
     * Whether a file of the same source (its glob, matched as the inbox route matches it) that arrived
     * before {@code arrival} is still in the inbox: waiting, or being loaded here or on another replica.
     * The glob is matched by Camel's own matcher, case-insensitively, as the file consumer's
     * {@code antInclude} matches it.
     */
    public boolean earlierWaiting(String pattern, Arrival arrival) throws IOException {
        Map<String, Arrival> files = listed;
        if (!arrival.equals(files.get(arrival.name()))) {
            files = list();
            listed = files;
        }
        for (Arrival earlier : files.values()) {
            if (earlier.compareTo(arrival) < 0 && AntPathMatcher.INSTANCE.match(pattern, earlier.name(), false)) {
                if (stillThere(earlier)) {
                    return true;
                }
                files.remove(earlier.name(), earlier);
            }
        }
        return false;
    }

    /** Whether the file is in the inbox with that arrival still, not loaded and moved away since. */
    private boolean stillThere(Arrival earlier) throws IOException {
        try {
            return earlier.equals(of(inbox.resolve(earlier.name())));
        } catch (NoSuchFileException gone) {
            return false;
        }
    }

    private Map<String, Arrival> list() throws IOException {
        Map<String, Arrival> files = new ConcurrentHashMap<>();
        try (Stream<Path> entries = Files.list(inbox)) {
            entries.filter(f -> !f.getFileName().toString().startsWith(".")).forEach(f -> {
                try {
                    if (Files.isRegularFile(f)) {
                        Arrival arrival = of(f);
                        files.put(arrival.name(), arrival);
                    }
                } catch (NoSuchFileException gone) {
                    // moved to .done/ or .error/ while listed
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return files;
    }
}
