package com.kasparro.etl.store.budget;

import com.kasparro.etl.config.EtlProperties;
import com.kasparro.etl.store.SqlFiles;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The CoinGecko call budget ({@code etl.coingecko.calls-per-minute} and {@code calls-per-month}),
 * counted in PostgreSQL over every request of every replica. The caller calls
 * {@link #acquire(Duration)} right before each request, a retry's included, so an error counts like
 * a success, and {@link #answered(OffsetDateTime)} once the request's answer or failure is in.
 *
 * <p>{@code acquire} records the request in one transaction under an advisory lock of the budget
 * ({@code sql/call-budget-*.sql}): one replica at a time decides, so two can never both take the
 * last slot. When the sliding window already holds calls-per-minute requests, it waits until the
 * oldest of them leaves the window (a wait computed from the database's clock, with the lock
 * released) and decides again. When the calendar month (UTC) is spent it throws
 * {@link CallBudgetExhausted} and records nothing.
 *
 * <p>A request is recorded before it reaches CoinGecko (the commit, a new connection's handshake,
 * a cold start's first request), so it takes its place in the window at the latest moment it can
 * reach CoinGecko, and its answer moves it to the moment the answer came: a request that took
 * longer on its way than the one 60 s after it never makes CoinGecko see one request too many in
 * its minute. The window is 61 s, a second to spare. Old request rows are pruned as requests are
 * recorded; the month is one counter row.
 *
 * <p>Stopping the service wakes a waiting {@code acquire}, which then throws
 * {@link CancellationException}: a shutdown never waits for the budget. Thread-safe.
 */
@Component
public class CallBudget implements SmartLifecycle {

    /** The budget of every CoinGecko request: the {@code budget} column of its tables. */
    public static final String COINGECKO = "coingecko";
    static final Duration WINDOW = Duration.ofSeconds(61);

    private static final Logger log = LoggerFactory.getLogger(CallBudget.class);
    private static final String LOCK = SqlFiles.load("call-budget-lock.sql");
    private static final String STATE = SqlFiles.load("call-budget-state.sql");
    private static final String RECORD = SqlFiles.load("call-budget-record.sql");
    private static final String LEFT = SqlFiles.load("call-budget-left.sql");
    private static final String ANSWERED = SqlFiles.load("call-budget-answered.sql");
    private static final Duration RECHECK = Duration.ofSeconds(5);

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final String budget;
    private final int perMinute;
    private final long perMonth;
    private final Duration window;
    private volatile CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running;

    @Autowired
    public CallBudget(NamedParameterJdbcTemplate jdbc, PlatformTransactionManager tx, EtlProperties properties) {
        this(jdbc, tx, COINGECKO, properties.coingecko().callsPerMinute(), properties.coingecko().callsPerMonth(),
                WINDOW);
    }

    /** A budget with its own window: tests use seconds rather than a minute. */
    CallBudget(NamedParameterJdbcTemplate jdbc, PlatformTransactionManager tx, String budget, int perMinute,
               long perMonth, Duration window) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(tx);
        this.budget = budget;
        this.perMinute = perMinute;
        this.perMonth = perMonth;
        this.window = window;
    }

    /**
     * Records one request, waiting first while the window is full. Until its answer the request
     * counts from its recording plus twice its time-out: it reaches CoinGecko within its connect
     * time-out, after waiting at most as long for a pooled connection. So a request however slow,
     * or one whose replica dies before the answer, never leaves the window before CoinGecko can
     * have counted it.
     *
     * @param timeout the request's connect (and pooled-connection) time-out
     * @return the request's place in the window, for {@link #answered(OffsetDateTime)}
     * @throws CallBudgetExhausted   the month's requests are spent
     * @throws CancellationException the service stopped while waiting
     * @throws InterruptedException  the thread was interrupted while waiting
     */
    public OffsetDateTime acquire(Duration timeout) throws InterruptedException {
        Map<String, Object> parameters = Map.of("budget", budget, "perMinute", perMinute,
                "windowMillis", window.toMillis(), "onItsWayMillis", timeout.multipliedBy(2).toMillis());
        boolean told = false;
        while (true) {
            Slot slot = transaction.execute(status -> take(parameters));
            if (slot.calledAt() != null) {
                return slot.calledAt();
            }
            long waitMillis = slot.waitMillis();
            if (!told) {
                log.info("CoinGecko minute budget spent ({} requests in {} s): next request in {}s", perMinute,
                        window.toSeconds(), String.format(Locale.ROOT, "%.2f", waitMillis / 1000.0));
                told = true;
            }
            // Decided again at least this often: a request still on its way may be answered sooner
            // than its recording allowed for, and leave the window earlier.
            if (stopped.await(Math.min(waitMillis, RECHECK.toMillis()), TimeUnit.MILLISECONDS)) {
                throw new CancellationException("the service stopped while waiting for the CoinGecko minute budget");
            }
        }
    }

    /**
     * The request's answer (or failure) is in: the window counts it from now. A database error
     * leaves it where it was recorded and fails nothing: the request is over.
     */
    public void answered(OffsetDateTime calledAt) {
        try {
            jdbc.update(ANSWERED, Map.of("budget", budget, "calledAt", calledAt));
        } catch (DataAccessException e) {
            log.warn("CoinGecko call budget: cannot move an answered request in the window: {}", e.getMessage());
        }
    }

    /** What {@link #take} decided: the recorded request's place, or how long to wait. */
    private record Slot(OffsetDateTime calledAt, long waitMillis) {
    }

    /** In the budget's transaction: records the request, or answers how long to wait. */
    private Slot take(Map<String, Object> parameters) {
        jdbc.execute(LOCK, parameters, PreparedStatement::execute);
        Map<String, Object> state = jdbc.queryForMap(STATE, parameters);
        long monthCalls = ((Number) state.get("month_calls")).longValue();
        if (perMonth > 0 && monthCalls >= perMonth) {
            throw exhausted(monthCalls, YearMonth.parse((String) state.get("month")));
        }
        long waitMillis = ((Number) state.get("wait_millis")).longValue();
        if (waitMillis > 0) {
            return new Slot(null, waitMillis);
        }
        return new Slot(jdbc.queryForObject(RECORD, parameters, (row, n) -> row.getObject("called_at",
                OffsetDateTime.class)), 0);
    }

    private CallBudgetExhausted exhausted(long used, YearMonth month) {
        return new CallBudgetExhausted(String.format(Locale.ROOT,
                "CoinGecko monthly call budget spent: %d of etl.coingecko.calls-per-month=%d used in %s; "
                        + "polls resume on %sT00:00Z", used, perMonth, month, month.plusMonths(1).atDay(1)));
    }

    /** What is left now: requests in the window, and in the month (null without a monthly cap). */
    public BudgetLeft left() {
        Map<String, Object> row = jdbc.queryForMap(LEFT, Map.of("budget", budget, "perMinute", perMinute,
                "perMonth", perMonth, "windowMillis", window.toMillis()));
        Number monthLeft = (Number) row.get("month_left");
        return new BudgetLeft(((Number) row.get("minute_left")).longValue(),
                monthLeft == null ? null : monthLeft.longValue());
    }

    @Override
    public void start() {
        if (stopped.getCount() == 0) {
            stopped = new CountDownLatch(1);
        }
        running = true;
    }

    /** Before Camel's graceful stop (a higher phase stops first): a poll waiting for the budget ends at once. */
    @Override
    public void stop() {
        running = false;
        stopped.countDown();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
