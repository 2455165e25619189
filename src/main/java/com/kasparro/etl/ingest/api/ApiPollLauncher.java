package com.kasparro.etl.ingest.api;

import com.kasparro.etl.source.SourceRegistry;
import com.kasparro.etl.source.SourceSpec;
import com.kasparro.etl.store.RunRepository;
import java.util.OptionalLong;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Starts a poll on demand: takes the source's guard, opens the run (so that its id can be returned
 * at once), then hands the exchange to the source's poll route on the template's thread pool. The
 * guard is released when that exchange is done, whatever its outcome.
 */
@Component
public class ApiPollLauncher implements PollLauncher {

    private static final Logger log = LoggerFactory.getLogger(ApiPollLauncher.class);

    private final SourceRegistry sources;
    private final PollGuards guards;
    private final RunRepository runs;
    private final CamelContext camel;
    private final ProducerTemplate producer;

    public ApiPollLauncher(SourceRegistry sources, PollGuards guards, RunRepository runs, CamelContext camel,
                           ProducerTemplate producer) {
        this.sources = sources;
        this.guards = guards;
        this.runs = runs;
        this.camel = camel;
        this.producer = producer;
    }

    @Override
    public boolean canPoll(String source) {
        return sources.find(source).filter(s -> s.kind() == SourceSpec.Kind.JSON_API && s.enabled()).isPresent();
    }

    @Override
    public boolean isDisabled(String source) {
        return sources.find(source).filter(s -> s.kind() == SourceSpec.Kind.JSON_API && !s.enabled()).isPresent();
    }

    @Override
    public OptionalLong launch(String source, String trigger) {
        if (!canPoll(source)) {
            throw new IllegalArgumentException(source + " is not an enabled json-api source");
        }
        SourceSpec spec = sources.get(source);
        if (!guards.tryAcquire(source)) {
            log.info("{}: a poll is already running; {} poll skipped", source, trigger);
            return OptionalLong.empty();
        }
        long runId;
        try {
            runId = runs.start(source, trigger);
        } catch (RuntimeException e) {
            guards.release(source);
            throw e;
        }
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(Poll.PROPERTY, Poll.launched(spec, trigger, runId));
        try {
            producer.asyncSend(JsonApiRoutes.pollEndpoint(source), exchange)
                    .whenComplete((done, error) -> guards.release(source));
        } catch (RuntimeException e) {
            guards.release(source);
            runs.fail(runId, "could not start the poll: " + e.getMessage());
            throw e;
        }
        return OptionalLong.of(runId);
    }
}
