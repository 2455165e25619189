package com.kasparro.etl.ingest.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.kasparro.etl.ingest.inbox.Arrivals.Arrival;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArrivalsTest {

    @TempDir
    Path inbox;

    @Test
    void filesArrivingInOneTickOfTheClockAreOrderedByName() {
        Instant tick = Instant.parse("2026-12-05T00:00:00.004Z");
        assertThat(new Arrival(tick, "products-2.csv")).isGreaterThan(new Arrival(tick, "products-10.csv"));
        assertThat(new Arrival(tick, "products-2.csv")).isLessThan(new Arrival(tick.plusMillis(4), "products-10.csv"));
    }

    @Test
    void anEarlierFileOfTheSameSourceStillInTheInboxIsOvertaken() throws Exception {
        Arrivals arrivals = new Arrivals(inbox);
        Arrival first = Arrivals.of(drop("Products-1.csv"));
        Arrival vendors = Arrivals.of(drop("vendors-1.csv"));
        Arrival second = Arrivals.of(drop("products-2.csv"));

        assertThat(arrivals.earlierWaiting("products*.csv", second)).as("products-1 waits").isTrue();
        assertThat(arrivals.earlierWaiting("products*.csv", first)).isFalse();
        assertThat(arrivals.earlierWaiting("vendors*.csv", vendors)).as("other sources do not count").isFalse();

        Files.move(inbox.resolve("Products-1.csv"), Files.createDirectories(inbox.resolve(".done")).resolve("p.csv"));
        Arrival third = Arrivals.of(drop("products-3.csv"));
        assertThat(arrivals.earlierWaiting("products*.csv", third)).as("products-2 waits").isTrue();
        Files.delete(inbox.resolve("products-2.csv"));
        Arrival fourth = Arrivals.of(drop("products-4.csv"));
        assertThat(arrivals.earlierWaiting("products*.csv", fourth)).as("products-3 waits").isTrue();
        Files.delete(inbox.resolve("products-3.csv"));
        Arrival fifth = Arrivals.of(drop("products-5.csv"));
        assertThat(arrivals.earlierWaiting("products*.csv", fifth)).as("products-4 waits").isTrue();
        Files.delete(inbox.resolve("products-4.csv"));
        Arrival sixth = Arrivals.of(drop("products-6.csv"));
        Files.delete(inbox.resolve("products-5.csv"));
        assertThat(arrivals.earlierWaiting("products*.csv", sixth)).as("none left").isFalse();
    }

    @Test
    void aFileThatHasLeftSinceTheLastListingNoLongerWaits() throws Exception {
        Arrivals arrivals = new Arrivals(inbox);
        Arrival first = Arrivals.of(drop("products-1.csv"));
        Arrival second = Arrivals.of(drop("products-2.csv"));
        Arrival third = Arrivals.of(drop("products-3.csv"));
        assertThat(arrivals.earlierWaiting("products*.csv", first)).as("a bulk drop is listed here").isFalse();

        Files.move(inbox.resolve("products-1.csv"), Files.createDirectories(inbox.resolve(".done")).resolve("p.csv"));
        assertThat(arrivals.earlierWaiting("products*.csv", second)).as("products-1 has been loaded").isFalse();
        assertThat(arrivals.earlierWaiting("products*.csv", third)).as("products-2 still waits").isTrue();
    }

    private Path drop(String name) throws Exception {
        Path tmp = Files.writeString(inbox.resolve("." + name), "x\n");
        return Files.move(tmp, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }
}
