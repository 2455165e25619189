package com.kasparro.etl.store;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The inbox claims table ({@code inbox_claims}): one row per key a replica works on, with a lease
 * its holder renews. Each call is one autocommitted statement, so a claim is visible to every
 * replica at once and never waits for a batch's transaction.
 */
@Repository
public class ClaimRepository {

    private static final String TAKE = SqlFiles.load("claim-take.sql");
    private static final String RENEW = SqlFiles.load("claim-renew.sql");
    private static final String RELEASE = SqlFiles.load("claim-release.sql");
    private static final String SWEEP = SqlFiles.load("claim-sweep.sql");

    private final NamedParameterJdbcTemplate jdbc;

    public ClaimRepository(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** What a claim attempt did: whether this holder has the key now, and how many stranded runs it closed. */
    public record Taken(boolean claimed, long strandedRunsClosed) {
    }

    public Taken take(String key, String holder, String instanceId, Duration lease) {
        return jdbc.queryForObject(TAKE, Map.of("key", key, "holder", holder, "instanceId", instanceId,
                        "leaseMillis", lease.toMillis()),
                (rs, i) -> new Taken(rs.getLong("claimed") > 0, rs.getLong("closed")));
    }

    /** Renews every claim of {@code holder}; returns the keys it still holds. */
    public Set<String> renew(String holder, Duration lease) {
        return new HashSet<>(jdbc.queryForList(RENEW, Map.of("holder", holder, "leaseMillis", lease.toMillis()),
                String.class));
    }

    public void release(String key, String holder) {
        jdbc.update(RELEASE, Map.of("key", key, "holder", holder));
    }

    /** Drops the expired claims nobody took over; returns the runs their holders left running, now closed. */
    public List<Long> sweep() {
        return jdbc.queryForList(SWEEP, Map.of(), Long.class);
    }
}
