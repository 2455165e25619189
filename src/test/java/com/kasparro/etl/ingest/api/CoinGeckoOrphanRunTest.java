package com.kasparro.etl.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A poll whose process died (or whose end could not be recorded) is closed by the next poll. */
class CoinGeckoOrphanRunTest extends CoinGeckoTestSupport {

    @Test
    void theNextPollClosesARunLeftRunning() {
        long orphan = jdbcTemplate.queryForObject(
                "INSERT INTO etl_runs (source, trigger) VALUES ('coingecko_api', 'schedule') RETURNING id", Long.class);
        stub(json("[{\"id\":\"bitcoin\",\"symbol\":\"btc\",\"name\":\"Bitcoin\"}]"));

        long runId = launch();
        await().atMost(Duration.ofSeconds(30)).until(() -> "success".equals(
                db.row("SELECT status FROM etl_runs WHERE id = ?", runId).get("status")));

        Map<String, Object> closed = db.row("SELECT status, error_message, finished_at FROM etl_runs WHERE id = ?", orphan);
        assertThat(closed).containsEntry("status", "failed");
        assertThat((String) closed.get("error_message")).startsWith("interrupted:").endsWith("run " + runId);
        assertThat(closed.get("finished_at")).isNotNull();
        assertThat(db.count("SELECT count(*) FROM etl_runs WHERE status = 'running'")).isZero();
    }
}
