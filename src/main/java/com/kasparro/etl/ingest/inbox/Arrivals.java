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
import java.util.stream.Stream;
import org.springframework.stereotype.Component;
import org.springframework.util.AntPathMatcher;

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

    public Arrivals(EtlProperties properties) {
        this.inbox = properties.inbox().path();
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
     */
    public boolean earlierWaiting(String pattern, Arrival arrival) throws IOException {
        AntPathMatcher names = new AntPathMatcher();
        names.setCaseSensitive(false);
        try (Stream<Path> files = Files.list(inbox)) {
            return files.filter(f -> {
                String name = f.getFileName().toString();
                return !name.startsWith(".") && !name.equals(arrival.name()) && names.match(pattern, name);
            }).anyMatch(f -> arrivedBefore(f, arrival));
        }
    }

    private static boolean arrivedBefore(Path file, Arrival arrival) {
        try {
            return Files.isRegularFile(file) && of(file).compareTo(arrival) < 0;
        } catch (NoSuchFileException gone) {
            return false;   // moved to .done/ or .error/ while listed
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
