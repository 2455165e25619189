package com.kasparro.etl.ingest.coingecko;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kasparro.etl.config.EtlProperties;
import com.kasparro.etl.observe.RunMdc;
import com.kasparro.etl.util.Sha256;
import com.kasparro.etl.source.SourceRegistry;
import com.kasparro.etl.store.ApiPayloadRepository;
import com.kasparro.etl.store.ApiPayloadRepository.RunCounts;
import com.kasparro.etl.store.InputCompletion;
import com.kasparro.etl.store.SchemaSnapshot;
import com.kasparro.etl.store.RunRepository;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The steps of a CoinGecko poll around the HTTP call and the batches: guard and run, the request's
 * headers, the payload checkpoint and drift check, and the run's outcome. Exchange properties carry
 * the state between them (camel-http would send headers as HTTP headers).
 *
 * <p>Memory: the body is held once as a byte[] (camel-http reads it whole, so that a connection
 * dropped mid-body is a transient failure of the request and is retried). 16k coins are about
 * 1 MB. Both passes (inspection, batches) stream over it one element at a time, and the payload
 * goes to {@code raw_api_data} as bytes, stored as json (the text as received) by PostgreSQL.
 */
@Component
public class CoinGeckoPoller {

    public static final String SOURCE = SourceRegistry.COINGECKO.source();

    public static final String TRIGGER = "etl.trigger";
    public static final String RUN_ID = "etl.runId";
    public static final String GUARD_HELD = "etl.coingecko.guardHeld";
    public static final String SKIPPED = "etl.coingecko.skipped";
    public static final String IDENTICAL = "etl.coingecko.identical";
    static final String STARTED_NANOS = "etl.coingecko.startedNanos";
    static final String PAYLOAD = "etl.coingecko.payload";
    static final String PAYLOAD_HASH = "etl.coingecko.payloadHash";
    static final String ITEM_COUNT = "etl.coingecko.itemCount";
    static final String SIGNATURE = "etl.coingecko.signature";

    private static final Logger log = LoggerFactory.getLogger(CoinGeckoPoller.class);

    private final EtlProperties properties;
    private final PollGuard guard;
    private final RunRepository runs;
    private final ApiPayloadRepository payloads;
    private final SchemaDriftDetector drift;
    private final ObjectMapper mapper;

    public CoinGeckoPoller(EtlProperties properties, PollGuard guard, RunRepository runs,
                           ApiPayloadRepository payloads, SchemaDriftDetector drift, ObjectMapper mapper) {
        this.properties = properties;
        this.guard = guard;
        this.runs = runs;
        this.payloads = payloads;
        this.drift = drift;
        this.mapper = mapper;
    }

    /**
     * Takes the guard (unless the launcher already holds it) and opens the run. A poll that finds
     * another one running is skipped: one INFO line, no run row.
     */
    public void begin(Exchange exchange) {
        String trigger = exchange.getProperty(TRIGGER, "schedule", String.class);
        RunMdc.source(SOURCE);
        if (!exchange.getProperty(GUARD_HELD, false, Boolean.class)) {
            if (!guard.tryAcquire()) {
                log.info("{}: a poll is already running; {} poll skipped", SOURCE, trigger);
                exchange.setProperty(SKIPPED, true);
                return;
            }
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    guard.release();
                }
            });
        }
        exchange.setProperty(STARTED_NANOS, System.nanoTime());
        Long runId = exchange.getProperty(RUN_ID, Long.class);
        if (runId == null) {
            runId = runs.start(SOURCE, trigger, null, null, null, null);
            exchange.setProperty(RUN_ID, runId);
        }
        RunMdc.run(SOURCE, runId);
        // This poll holds the cluster-wide guard: another 'running' poll is one whose process died,
        // or whose failure could not be recorded while the database was down.
        List<Long> orphans = runs.interruptOrphans(SOURCE, null, runId);
        if (!orphans.isEmpty()) {
            log.warn("{}: closed interrupted poll run(s) {}", SOURCE, orphans);
        }
        log.info("{}: poll started ({})", SOURCE, trigger);
    }

    /** Method and key header of the request; the key is never in the URI, a log or the route model. */
    public void prepareRequest(Exchange exchange) {
        EtlProperties.CoinGecko api = properties.coingecko();
        exchange.getIn().setBody(null);
        exchange.getIn().setHeader(Exchange.HTTP_METHOD, "GET");
        exchange.getIn().setHeader("Accept", "application/json");
        if (api.hasApiKey()) {
            exchange.getIn().setHeader(api.apiKeyHeader(), api.apiKey().trim());
        }
        exchange.setProperty(FetchFailures.PHASE, FetchFailures.FETCHING);
    }

    /**
     * The response is in: hash it, compare with the payload checkpoint, validate its shape and
     * check the schema. Nothing is written before the payload is known to be a JSON array.
     */
    public void inspect(Exchange exchange) throws JsonProcessingException {
        exchange.removeProperty(FetchFailures.PHASE);
        byte[] body = exchange.getIn().getBody(byte[].class);
        String contentType = exchange.getIn().getHeader(Exchange.CONTENT_TYPE, String.class);
        exchange.getIn().setBody(null);
        exchange.getIn().removeHeaders("*"); // the response's headers are of no further use
        if (body == null) {
            body = new byte[0];
        }
        String hash = Sha256.hex(body);
        exchange.setProperty(PAYLOAD_HASH, hash);
        if (payloads.lastPayloadHash(SOURCE).filter(hash::equals).isPresent()) {
            exchange.setProperty(IDENTICAL, true);
            return;
        }
        CoinPayload.Inspection inspection = CoinPayload.inspect(body, contentType, mapper);
        exchange.setProperty(PAYLOAD, body);
        exchange.setProperty(ITEM_COUNT, inspection.itemCount());
        exchange.setProperty(SIGNATURE, inspection.signature());
    }

    /** The schema snapshot this payload adds (the baseline, or a drift), or null: the route stores it. */
    public SchemaSnapshot schemaSnapshot(Exchange exchange) throws JsonProcessingException {
        return drift.compare(SOURCE, runId(exchange), exchange.getProperty(SIGNATURE, SchemaSignature.class));
    }

    /** The same payload as the last one ingested: the run succeeds, every item skipped. */
    public InputCompletion identical(Exchange exchange) {
        String hash = exchange.getProperty(PAYLOAD_HASH, String.class);
        int items = payloads.itemCount(SOURCE, hash).orElse(0);
        return new InputCompletion(SOURCE, runId(exchange), ApiPayloadRepository.PAYLOAD_KEY, null, items, hash,
                hash, null, items);
    }

    /** The batches of the second pass, for the splitter. */
    public CoinBatchIterator batches(Exchange exchange) {
        return new CoinBatchIterator(exchange.getProperty(PAYLOAD, byte[].class), mapper, SOURCE,
                runId(exchange), properties.batchSize());
    }

    /** Every batch committed: the payload to store, its checkpoint and the run's success, for the route's sql: step. */
    public InputCompletion completion(Exchange exchange) {
        String hash = exchange.getProperty(PAYLOAD_HASH, String.class);
        byte[] payload = exchange.getProperty(PAYLOAD, byte[].class);
        int items = exchange.getProperty(ITEM_COUNT, 0, Integer.class);
        exchange.removeProperty(PAYLOAD);
        return new InputCompletion(SOURCE, runId(exchange), ApiPayloadRepository.PAYLOAD_KEY, null, items, hash,
                hash, withoutBom(payload), items);
    }

    /** The run is closed: the metrics learn its outcome, and one summary line is logged. */
    public void finished(Exchange exchange) {
        long runId = runId(exchange);
        runs.finished(runId);
        logSummary(exchange, runId, exchange.getProperty(IDENTICAL, false, Boolean.class) ? " (identical payload)" : "");
    }

    /** A failure that is not retried: the run fails with the reason. */
    public void fail(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        recordFailure(exchange, FetchFailures.describe(error));
    }

    /** The retries are spent: the run fails with the last cause and how often it was retried. */
    public void failAfterRetries(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Integer counter = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        int retries = counter == null ? properties.retry().maxAttempts() : Math.max(0, counter - 1);
        recordFailure(exchange, FetchFailures.describe(error) + " after " + retries
                + (retries == 1 ? " retry" : " retries"));
    }

    private void recordFailure(Exchange exchange, String reason) {
        exchange.removeProperty(PAYLOAD);
        exchange.removeProperty(FetchFailures.PHASE);
        exchange.getIn().removeHeaders("*");
        Long runId = exchange.getProperty(RUN_ID, Long.class);
        log.error("{}: poll failed: {}", SOURCE, reason);
        if (runId == null) {
            return; // the run could not even be started (database down): the log is all there is
        }
        try {
            runs.fail(runId, reason);
        } catch (RuntimeException e) {
            log.error("{}: could not record the failure of run {}: {}", SOURCE, runId,
                    FetchFailures.describe(e));
        }
    }

    private void logSummary(Exchange exchange, long runId, String suffix) {
        RunCounts c = payloads.counts(runId);
        Long started = exchange.getProperty(STARTED_NANOS, Long.class);
        double seconds = started == null ? 0 : (System.nanoTime() - started) / 1e9;
        log.info("{}: {} coins, {} inserted, {} updated, {} skipped, {} rejected in {}s{}", SOURCE, c.read(),
                c.inserted(), c.updated(), c.skipped(), c.rejected(),
                String.format(Locale.ROOT, "%.2f", seconds), suffix);
    }

    private static long runId(Exchange exchange) {
        return exchange.getProperty(RUN_ID, Long.class);
    }

    private static byte[] withoutBom(byte[] payload) {
        if (payload.length >= 3 && (payload[0] & 0xff) == 0xEF && (payload[1] & 0xff) == 0xBB
                && (payload[2] & 0xff) == 0xBF) {
            return Arrays.copyOfRange(payload, 3, payload.length);
        }
        return payload;
    }
}
