package com.kasparro.etl.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** zonky's logger keeps the server's output at INFO; initdb's output and the kept-data notice are DEBUG. */
class EmbeddedPostgresLogFilterTest {

    final Logger zonky = (Logger) LoggerFactory.getLogger(EmbeddedPostgresLogFilter.ZONKY_LOGGER);
    final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    Level levelBefore;

    @BeforeEach
    void attach() {
        EmbeddedPostgresLogFilter.install();
        EmbeddedPostgresLogFilter.install();
        appender.start();
        zonky.addAppender(appender);
        levelBefore = zonky.getLevel();
    }

    @AfterEach
    void detach() {
        zonky.detachAppender(appender);
        zonky.setLevel(levelBefore);
    }

    @Test
    void installsOnce() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        assertThat(context.getTurboFilterList()).filteredOn(EmbeddedPostgresLogFilter.class::isInstance).hasSize(1);
    }

    @Test
    void atInfoOnlyTheServersOutputAndZonkysOwnLinesRemain() throws Exception {
        zonky.setLevel(Level.INFO);
        logAll();
        assertThat(lines()).containsExactly(
                "INFO LOG:  database system is ready to accept connections",
                "INFO x initdb completed in 00:00:02");
    }

    @Test
    void atDebugInitdbsOutputAndTheKeptDataNoticeAreThereAsDebug() throws Exception {
        zonky.setLevel(Level.DEBUG);
        logAll();
        assertThat(lines()).containsExactly(
                "DEBUG creating subdirectories ... ok",
                "INFO LOG:  database system is ready to accept connections",
                "INFO x initdb completed in 00:00:02",
                "DEBUG Did not clean up directory /data/postgres");
    }

    /** What zonky logs, on the threads it logs it from. */
    private void logAll() throws InterruptedException {
        onThread("initdb:pid(1)", () -> zonky.info("creating subdirectories ... ok"));
        onThread("postgres:pid(2)", () -> zonky.info("LOG:  database system is ready to accept connections"));
        zonky.info("{} initdb completed in {}", "x", "00:00:02");
        zonky.info("Did not clean up directory {}", "/data/postgres");
    }

    private static void onThread(String name, Runnable action) throws InterruptedException {
        Thread thread = new Thread(action, name);
        thread.start();
        thread.join();
    }

    private List<String> lines() {
        return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }
}
