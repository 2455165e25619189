package com.kasparro.etl.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.kasparro.etl.support.EtlIntegrationTest;
import com.kasparro.etl.support.ServiceTestSupport;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** price_snapshots: one row per coin, currency and last_updated, written with a batch's records. */
@EtlIntegrationTest
class PriceHistoryTest extends ServiceTestSupport {

    static final OffsetDateTime T0 = OffsetDateTime.parse("2026-12-04T10:00:00.123Z");

    @Autowired
    PriceHistory history;
    @Autowired
    BatchWriter writer;
    @Autowired
    PlatformTransactionManager transactions;

    static PricePoint point(String coin, String price, OffsetDateTime lastUpdated) {
        return new PricePoint(coin, "usd", new BigDecimal(price), new BigDecimal("1000000"), null, lastUpdated);
    }

    static List<PricePoint> firstPoll() {
        return List.of(point("bitcoin", "97000.5", T0), point("ethereum", "3500.25", T0),
                point("tether", "1.0001", T0.plusSeconds(5)));
    }

    @Test
    void theSamePointsAgainAddNothing() {
        assertThat(history.record(1, firstPoll())).isEqualTo(3);

        assertThat(history.record(2, firstPoll())).isZero();
        assertThat(db.count("SELECT count(*) FROM price_snapshots")).isEqualTo(3);
        assertThat(db.count("SELECT count(*) FROM price_snapshots WHERE run_id = 1")).isEqualTo(3);
    }

    @Test
    void aSecondPollWithTwoChangedPricesAddsExactlyTwoRows() {
        history.record(1, firstPoll());
        OffsetDateTime later = T0.plusMinutes(10);

        long added = history.record(2, List.of(point("bitcoin", "97100", later), point("ethereum", "3500.25", T0),
                point("tether", "1.0002", later)));

        assertThat(added).isEqualTo(2);
        assertThat(db.rows("SELECT coin_id, price, run_id FROM price_snapshots WHERE run_id = 2 ORDER BY coin_id"))
                .extracting(r -> r.get("coin_id") + "=" + ((BigDecimal) r.get("price")).toPlainString())
                .containsExactly("bitcoin=97100", "tether=1.0002");
    }

    @Test
    void aPointIsStoredExactlyWithItsUnknownsAsNull() {
        history.record(7, List.of(new PricePoint("bitcoin", "eur", new BigDecimal("0.000000012345678901"), null,
                new BigDecimal("123456789012345678901234567890.5"), T0)));

        Map<String, Object> row = db.row("SELECT * FROM price_snapshots");
        assertThat(((BigDecimal) row.get("price")).toPlainString()).isEqualTo("0.000000012345678901");
        assertThat(row.get("market_cap")).isNull();
        assertThat(((BigDecimal) row.get("total_volume")).toPlainString()).isEqualTo("123456789012345678901234567890.5");
        assertThat(row.get("vs_currency")).isEqualTo("eur");
        assertThat(db.count("SELECT count(*) FROM price_snapshots WHERE last_updated = '2026-12-04T10:00:00.123Z'"))
                .isEqualTo(1);
    }

    @Test
    void pointsJoinTheCallersTransaction() {
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            history.record(1, firstPoll());
            status.setRollbackOnly();
        });

        assertThat(db.count("SELECT count(*) FROM price_snapshots")).isZero();
    }

    @Test
    void aBatchCommitsItsPricesWithItsRecords() {
        long runId = jdbcTemplate.queryForObject("INSERT INTO etl_runs (source, trigger) VALUES "
                + "('coingecko_api', 'schedule') RETURNING id", Long.class);
        UnifiedRecord bitcoin = new UnifiedRecord(1, "bitcoin", "Bitcoin", "btc", new BigDecimal("97000.5"), null, null, "{}", "h1");

        WriteResult result = writer.write(new Batch("coingecko_api", runId, null, null, 0, 1, 0, 1, List.of(),
                List.of(bitcoin), List.of(), List.of(point("bitcoin", "97000.5", T0)), null, Lane.ONLY));

        assertThat(result.inserted()).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM price_snapshots WHERE run_id = ?", runId)).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM unified_records WHERE last_run_id = ?", runId)).isEqualTo(1);
    }
}
