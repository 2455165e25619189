package com.kasparro.etl.store;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Appends price points to {@code price_snapshots}: one set-based statement per call
 * ({@code sql/price-snapshots-insert.sql}), a point already stored (same coin, currency and
 * last_updated) adding nothing. Its template joins the transaction open on the calling thread, so
 * that {@link BatchWriter} commits a batch's prices with its records. Thread-safe.
 */
@Component
public class PriceHistory {

    private static final String INSERT = SqlFiles.load("price-snapshots-insert.sql");

    private final NamedParameterJdbcTemplate jdbc;

    public PriceHistory(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores the points of run {@code runId}; answers how many were new. */
    public long record(long runId, List<PricePoint> points) {
        if (points.isEmpty()) {
            return 0;
        }
        int n = points.size();
        String[] coinIds = new String[n];
        String[] currencies = new String[n];
        String[] prices = new String[n];
        String[] marketCaps = new String[n];
        String[] volumes = new String[n];
        String[] lastUpdated = new String[n];
        for (int i = 0; i < n; i++) {
            PricePoint p = points.get(i);
            coinIds[i] = p.coinId();
            currencies[i] = p.vsCurrency();
            prices[i] = p.price().toPlainString();
            marketCaps[i] = text(p.marketCap());
            volumes[i] = text(p.totalVolume());
            // With its offset: the statement's cast does not depend on the session's time zone.
            lastUpdated[i] = p.lastUpdated().toString();
        }
        Long added = jdbc.queryForObject(INSERT, Map.of(
                "runId", runId,
                "coinIds", new SqlArray("text", coinIds),
                "vsCurrencies", new SqlArray("text", currencies),
                "prices", new SqlArray("text", prices),
                "marketCaps", new SqlArray("text", marketCaps),
                "totalVolumes", new SqlArray("text", volumes),
                "lastUpdated", new SqlArray("text", lastUpdated)), Long.class);
        return added == null ? 0 : added;
    }

    private static String text(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }
}
