package com.kasparro.etl.store.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.kasparro.etl.support.EtlIntegrationTest;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Two budgets of one name, as two replicas have them: each on its own connection pool to one
 * PostgreSQL, deciding only through the database. Short windows stand in for the minute; each
 * test counts under a budget name of its own.
 */
@EtlIntegrationTest
class CallBudgetTest {

    /** A request that reaches CoinGecko the moment it is recorded: no time-out to allow for. */
    static final Duration NOW = Duration.ZERO;

    @Autowired
    HikariDataSource serviceDataSource;

    HikariDataSource first;
    HikariDataSource second;
    String name;
    ExecutorService threads;

    @BeforeEach
    void twoReplicas() {
        first = pool();
        second = pool();
        name = "test-" + UUID.randomUUID();
        threads = Executors.newFixedThreadPool(4);
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        first.close();
        second.close();
    }

    HikariDataSource pool() {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(serviceDataSource.getJdbcUrl());
        pool.setUsername(serviceDataSource.getUsername());
        pool.setPassword(serviceDataSource.getPassword());
        pool.setMaximumPoolSize(2);
        return pool;
    }

    CallBudget budget(HikariDataSource pool, int perMinute, long perMonth, Duration window) {
        return new CallBudget(new NamedParameterJdbcTemplate(pool), new DataSourceTransactionManager(pool), name,
                perMinute, perMonth, window);
    }

    @Test
    void noWindowEverHoldsMoreThanTheLimitUnderConcurrentAcquiresOfTwoReplicas() throws Exception {
        int limit = 3;
        // The budget's window is 300 ms longer than the one checked, as production's 61 s stands
        // for CoinGecko's 60: the time between recording a request and making it.
        Duration checked = Duration.ofMillis(1_700);
        List<CallBudget> replicas = List.of(budget(first, limit, 0, Duration.ofMillis(2_000)),
                budget(second, limit, 0, Duration.ofMillis(2_000)));
        List<Long> acquiredNanos = Collections.synchronizedList(new ArrayList<>());
        long started = System.nanoTime();
        List<Future<?>> callers = new ArrayList<>();
        for (int caller = 0; caller < 4; caller++) {
            CallBudget budget = replicas.get(caller % 2);
            callers.add(threads.submit(() -> {
                for (int i = 0; i < 3; i++) {
                    budget.acquire(NOW);
                    acquiredNanos.add(System.nanoTime());
                }
                return null;
            }));
        }
        for (Future<?> caller : callers) {
            caller.get(60, TimeUnit.SECONDS);
        }

        List<Long> times = new ArrayList<>(acquiredNanos);
        Collections.sort(times);
        assertThat(times).hasSize(12);
        for (int i = limit; i < times.size(); i++) {
            assertThat(times.get(i) - times.get(i - limit)).as("requests %d and %d", i - limit, i)
                    .isGreaterThanOrEqualTo(checked.toNanos());
        }
        // 12 requests at 3 per 2 s: the last ones wait for the fourth window, and no longer.
        assertThat(Duration.ofNanos(times.get(11) - started)).isBetween(Duration.ofSeconds(6), Duration.ofSeconds(12));
        assertThat(replicas.get(0).left()).isEqualTo(replicas.get(1).left());
    }

    @Test
    void aSpentMonthThrowsOnEveryReplicaAndRecordsNothing() throws Exception {
        CallBudget one = budget(first, 100, 2, Duration.ofSeconds(60));
        CallBudget other = budget(second, 100, 2, Duration.ofSeconds(60));
        one.acquire(NOW);
        other.acquire(NOW);
        YearMonth month = YearMonth.now(ZoneOffset.UTC);

        assertThatThrownBy(() -> one.acquire(NOW)).isInstanceOf(CallBudgetExhausted.class).hasMessage(
                "CoinGecko monthly call budget spent: 2 of etl.coingecko.calls-per-month=2 used in " + month
                        + "; polls resume on " + month.plusMonths(1).atDay(1) + "T00:00Z");
        assertThatThrownBy(() -> other.acquire(NOW)).isInstanceOf(CallBudgetExhausted.class);
        assertThat(one.left()).isEqualTo(new BudgetLeft(98, 0L));
    }

    @Test
    void leftCountsTheWindowAndTheMonthOfEveryReplica() throws Exception {
        CallBudget capped = budget(first, 5, 10, Duration.ofSeconds(60));
        CallBudget uncapped = budget(second, 5, 0, Duration.ofSeconds(60));
        assertThat(capped.left()).isEqualTo(new BudgetLeft(5, 10L));

        capped.acquire(NOW);
        uncapped.acquire(NOW);

        assertThat(capped.left()).isEqualTo(new BudgetLeft(3, 8L));
        assertThat(uncapped.left()).as("no monthly cap").isEqualTo(new BudgetLeft(3, null));
    }

    @Test
    void aRequestLeavesTheWindowAfterItsLength() throws Exception {
        CallBudget budget = budget(first, 1, 0, Duration.ofMillis(800));
        budget.acquire(NOW);
        assertThat(budget.left().minuteLeft()).isZero();

        await().atMost(Duration.ofSeconds(5)).until(() -> budget.left().minuteLeft() == 1);
    }

    @Test
    void anAnsweredRequestCountsFromItsAnswerHoweverLongItTookOnItsWay() throws Exception {
        Duration window = Duration.ofMillis(800);
        CallBudget one = budget(first, 1, 0, window);
        CallBudget other = budget(second, 1, 0, window);
        OffsetDateTime slow = one.acquire(NOW);
        // Still on its way when its recording leaves the window: CoinGecko may not have it yet.
        await().atMost(Duration.ofSeconds(5)).until(() -> one.left().minuteLeft() == 1);

        one.answered(slow);

        assertThat(one.left().minuteLeft()).as("in the window again, from its answer").isZero();
        long answered = System.nanoTime();
        other.acquire(NOW);
        assertThat(Duration.ofNanos(System.nanoTime() - answered)).as("the other replica's request waited")
                .isGreaterThan(window.minusMillis(200));
    }

    @Test
    void aRequestStillOnItsWayStaysInTheWindowForTwiceItsTimeOutUntilItsAnswer() throws Exception {
        Duration window = Duration.ofMillis(800);
        CallBudget budget = budget(first, 1, 0, window);
        OffsetDateTime onItsWay = budget.acquire(Duration.ofSeconds(1));

        await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(2))
                .until(() -> budget.left().minuteLeft() == 0);
        budget.answered(onItsWay);
        await().atMost(Duration.ofSeconds(5)).until(() -> budget.left().minuteLeft() == 1);
    }

    @Test
    void stoppingWakesAWaitingAcquire() throws Exception {
        CallBudget budget = budget(first, 1, 0, Duration.ofSeconds(60));
        budget.start();
        budget.acquire(NOW);
        Future<?> waiting = threads.submit(() -> {
            budget.acquire(NOW);
            return null;
        });
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());

        budget.stop();

        await().atMost(Duration.ofSeconds(2)).until(waiting::isDone);
        assertThatThrownBy(waiting::get).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(CancellationException.class)
                .cause().hasMessage("the service stopped while waiting for the CoinGecko minute budget");
        assertThat(budget.left().minuteLeft()).as("the waiting request was not recorded").isZero();
    }
}
