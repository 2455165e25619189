package com.kasparro.etl.ingest.inbox;

import com.kasparro.etl.config.EtlProperties;
import com.kasparro.etl.store.ClaimRepository;
import com.kasparro.etl.store.RunRepository;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * This process's claims on inbox keys (see {@code V13__inbox_claims.sql}): a file's name while the
 * file is being worked on here, and the content being loaded. A claim is taken by one statement
 * that another replica can win, renewed by {@link #renew()} every third of
 * {@code etl.inbox.claim-lease}, and released when its file leaves the inbox or is left for the
 * next poll. A claim another replica took over (this one failed to renew it in time, say through a
 * long database outage) is marked lost: the file's reader stops at its next batch boundary, and the
 * checkpoint keeps the two replicas from writing any batch twice.
 *
 * <p>A live holder keeps its claim for as long as it renews it, however long its file takes: a
 * replica stuck inside a file (waiting for the database, or hung) keeps the file until it
 * recovers or dies. Thread-safe.
 */
@Component
public class InboxClaims {

    private static final Logger log = LoggerFactory.getLogger(InboxClaims.class);

    /** This process, unlike pid@host, which a restarted container can share with its dead predecessor. */
    private final String holder = RunRepository.INSTANCE_ID + "#" + UUID.randomUUID().toString().substring(0, 8);
    private final ClaimRepository repository;
    private final RunRepository runs;
    private final Duration lease;
    /** The keys held here, each with whether another replica has taken it over since. */
    private final Map<String, AtomicBoolean> held = new ConcurrentHashMap<>();
    private volatile boolean renewFailing;

    public InboxClaims(ClaimRepository repository, RunRepository runs, EtlProperties properties) {
        this.repository = repository;
        this.runs = runs;
        this.lease = properties.inbox().claimLease();
    }

    /** Claims {@code key} for this process; false when a live claim of another replica has it. */
    public boolean tryClaim(String key) {
        ClaimRepository.Taken taken = repository.take(key, holder, RunRepository.INSTANCE_ID, lease);
        if (!taken.claimed()) {
            return false;
        }
        held.put(key, new AtomicBoolean());
        if (taken.strandedRunsClosed() > 0) {
            log.warn("{}: took over the claim of a replica that stopped renewing it; closed its run as interrupted",
                    key);
        }
        return true;
    }

    /** Gives {@code key} up; a claim already taken over by another replica stays theirs. */
    public void release(String key) {
        if (held.remove(key) != null) {
            try {
                repository.release(key, holder);
            } catch (DataAccessException e) {
                // Not renewed from now on: the claim expires after one lease, or this process takes it back.
                log.warn("{}: cannot release the claim, database unavailable: {}", key, e.getMessage());
            }
        }
    }

    /** Whether this process claimed {@code key} and another replica has taken it over since. */
    public boolean isLost(String key) {
        AtomicBoolean lost = held.get(key);
        return lost != null && lost.get();
    }

    /**
     * Renews this process's claims and clears the expired claims of others that nobody took over,
     * closing the runs their holders left running. Called on a timer; a database outage is logged
     * once and the next tick tries again (the claims' expiry is the database's clock).
     */
    public void renew() {
        try {
            // The claims as they were before the renewal: one taken or released meanwhile is not judged.
            Map<String, AtomicBoolean> before = Map.copyOf(held);
            Set<String> still = before.isEmpty() ? Set.of() : repository.renew(holder, lease);
            before.forEach((key, lost) -> {
                if (!still.contains(key) && held.get(key) == lost && !lost.getAndSet(true)) {
                    log.warn("{}: another replica took over this replica's claim (not renewed within {}); "
                            + "reading stops at the next batch boundary", key, lease);
                }
            });
            List<Long> closed = repository.sweep();
            closed.forEach(runs::finished);
            if (!closed.isEmpty()) {
                log.warn("Closed run(s) {} as interrupted: their replica stopped renewing its claims", closed);
            }
            if (renewFailing) {
                log.info("Inbox claims renewed again");
                renewFailing = false;
            }
        } catch (DataAccessException e) {
            if (!renewFailing) {
                log.warn("Cannot renew the inbox claims, database unavailable: {}", e.getMessage());
                renewFailing = true;
            }
        }
    }

    /** This process as a claim holder (pid@host#token). */
    public String holder() {
        return holder;
    }
}
