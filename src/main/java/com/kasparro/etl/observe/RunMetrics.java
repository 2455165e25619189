package com.kasparro.etl.observe;

import com.kasparro.etl.store.RunListener;
import com.kasparro.etl.store.SqlFiles;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Runs into {@link EtlMetrics}: each finished run, and at start the last success per source
 * from {@code etl_runs}, so that "no success for an hour" does not fire after every restart.
 */
@Component
public class RunMetrics implements RunListener {

    private static final String LAST_SUCCESS = SqlFiles.load("run-last-success.sql");

    private final EtlMetrics metrics;
    private final NamedParameterJdbcTemplate jdbc;

    public RunMetrics(EtlMetrics metrics, NamedParameterJdbcTemplate jdbc) {
        this.metrics = metrics;
        this.jdbc = jdbc;
    }

    @Override
    public void runFinished(long runId, String source, String status, Duration duration) {
        metrics.runFinished(source, status, duration);
    }

    @EventListener(ApplicationReadyEvent.class)
    public void loadLastSuccess() {
        jdbc.query(LAST_SUCCESS, Map.of(), rs -> {
            metrics.lastSuccessAt(rs.getString("source"), Math.round(rs.getDouble("seconds") * 1000));
        });
    }
}
