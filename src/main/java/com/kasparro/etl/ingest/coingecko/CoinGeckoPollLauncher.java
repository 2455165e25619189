package com.kasparro.etl.ingest.coingecko;

import com.kasparro.etl.store.RunRepository;
import java.util.OptionalLong;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Starts a poll on demand: takes the guard, opens the run (so that its id can be returned at
 * once), then hands the exchange to the poll route on the template's thread pool. The guard is
 * released when that exchange is done, whatever its outcome.
 */
@Component
@ConditionalOnProperty(name = "etl.coingecko.enabled", havingValue = "true", matchIfMissing = true)
public class CoinGeckoPollLauncher implements PollLauncher {

    private static final Logger log = LoggerFactory.getLogger(CoinGeckoPollLauncher.class);

    private final PollGuard guard;
    private final RunRepository runs;
    private final CamelContext camel;
    private final ProducerTemplate producer;

    public CoinGeckoPollLauncher(PollGuard guard, RunRepository runs, CamelContext camel, ProducerTemplate producer) {
        this.guard = guard;
        this.runs = runs;
        this.camel = camel;
        this.producer = producer;
    }

    @Override
    public OptionalLong launch(String trigger) {
        if (!guard.tryAcquire()) {
            log.info("{}: a poll is already running; {} poll skipped", CoinGeckoPoller.SOURCE, trigger);
            return OptionalLong.empty();
        }
        long runId;
        try {
            runId = runs.start(CoinGeckoPoller.SOURCE, trigger, null, null, null, null);
        } catch (RuntimeException e) {
            guard.release();
            throw e;
        }
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(CoinGeckoPoller.TRIGGER, trigger);
        exchange.setProperty(CoinGeckoPoller.GUARD_HELD, true);
        exchange.setProperty(CoinGeckoPoller.RUN_ID, runId);
        try {
            producer.asyncSend(CoinGeckoRoute.POLL, exchange).whenComplete((done, error) -> guard.release());
        } catch (RuntimeException e) {
            guard.release();
            runs.fail(runId, "could not start the poll: " + e.getMessage());
            throw e;
        }
        return OptionalLong.of(runId);
    }
}
