package com.kasparro.etl.ingest.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kasparro.etl.config.EtlProperties;
import com.kasparro.etl.observe.RunMdc;
import com.kasparro.etl.source.SourceSpec;
import com.kasparro.etl.store.ApiPayloadRepository;
import com.kasparro.etl.store.ApiPayloadRepository.RunCounts;
import com.kasparro.etl.store.InputCompletion;
import com.kasparro.etl.store.RunRepository;
import com.kasparro.etl.store.SchemaSnapshot;
import com.kasparro.etl.util.Sha256;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The steps of a json-api poll around the HTTP calls and the batches: guard and run, each page's
 * request, payload checkpoint and batches, the schema check over every page, and the run's
 * outcome. The steps share one {@link Poll}.
 *
 * <p>Memory: a page's body is held once as a byte[] (camel-http reads it whole, so that a
 * connection dropped mid-body is a transient failure of the request and is retried). Both passes
 * (inspection, batches) stream over it one item at a time, and the payload goes to
 * {@code raw_api_data} as bytes, stored as json (the text as received) by PostgreSQL.
 */
@Component
public class ApiPoller {

    private static final Logger log = LoggerFactory.getLogger(ApiPoller.class);

    private final EtlProperties properties;
    private final PollGuards guards;
    private final RunRepository runs;
    private final ApiPayloadRepository payloads;
    private final SchemaDriftDetector drift;
    private final ObjectMapper mapper;

    public ApiPoller(EtlProperties properties, PollGuards guards, RunRepository runs,
                     ApiPayloadRepository payloads, SchemaDriftDetector drift, ObjectMapper mapper) {
        this.properties = properties;
        this.guards = guards;
        this.runs = runs;
        this.payloads = payloads;
        this.drift = drift;
        this.mapper = mapper;
    }

    /**
     * Takes the source's guard (unless the launcher already holds it) and opens the run. A poll
     * that finds another one of its source running is skipped: one INFO line, no run row.
     */
    public void begin(Exchange exchange) {
        Poll poll = Poll.of(exchange);
        String source = poll.source();
        RunMdc.source(source);
        if (!poll.guardHeld()) {
            if (!guards.tryAcquire(source)) {
                log.info("{}: a poll is already running; {} poll skipped", source, poll.trigger());
                poll.skip();
                return;
            }
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    guards.release(source);
                }
            });
        }
        long runId = poll.runId() != null ? poll.runId()
                : runs.start(source, poll.trigger());
        poll.started(runId, System.nanoTime());
        RunMdc.run(source, runId);
        // This poll holds the cluster-wide guard: another 'running' poll is one whose process died,
        // or whose failure could not be recorded while the database was down.
        List<Long> orphans = runs.interruptOrphans(source, null, runId);
        if (!orphans.isEmpty()) {
            log.warn("{}: closed interrupted poll run(s) {}", source, orphans);
        }
        log.info("{}: poll started ({})", source, poll.trigger());
    }

    /** Another poll of the source is running: this one ends without a run. */
    public boolean skipped(Exchange exchange) {
        return Poll.of(exchange).skipped();
    }

    /** The page just fetched is the same as the last one ingested: nothing of it is written. */
    public boolean identical(Exchange exchange) {
        return Poll.of(exchange).identical();
    }

    /** Whether another page is to be fetched; moves the poll to it. */
    public boolean nextPage(Exchange exchange) {
        return Poll.of(exchange).advance();
    }

    /**
     * Method, query and headers of the request. Header values (keys among them) are never in the
     * URI, a log or the route model.
     */
    public void prepareRequest(Exchange exchange) {
        Poll poll = Poll.of(exchange);
        SourceSpec.Api api = poll.spec().api();
        exchange.getIn().setBody(null);
        exchange.getIn().setHeader(Exchange.HTTP_METHOD, "GET");
        exchange.getIn().setHeader("Accept", "application/json");
        api.headers().forEach((name, value) -> {
            if (value != null && !value.isBlank()) {
                exchange.getIn().setHeader(name, value.trim());
            }
        });
        EtlProperties.CoinGecko coingecko = properties.coingecko();
        if ("coingecko".equals(api.provider()) && coingecko.hasApiKey()) {
            exchange.getIn().setHeader(coingecko.apiKeyHeader(), coingecko.apiKey().trim());
        }
        if (api.paging() != null) {
            String query = api.url().getRawQuery();
            exchange.getIn().setHeader(Exchange.HTTP_QUERY, (query == null || query.isEmpty() ? "" : query + "&")
                    + api.paging().param() + "=" + poll.page());
        }
        poll.fetching(true);
    }

    /**
     * The response is in: hash it, compare with the page's checkpoint, validate its shape and add
     * it to the poll's schema signature. Nothing is written before the page is known to hold a
     * JSON array of items.
     */
    public void inspect(Exchange exchange) {
        Poll poll = Poll.of(exchange);
        poll.fetching(false);
        byte[] body = exchange.getIn().getBody(byte[].class);
        String contentType = exchange.getIn().getHeader(Exchange.CONTENT_TYPE, String.class);
        exchange.getIn().setBody(null);
        exchange.getIn().removeHeaders("*"); // the response's headers are of no further use
        if (body == null) {
            body = new byte[0];
        }
        String hash = Sha256.hex(body);
        if (payloads.lastPayloadHash(poll.source(), poll.checkpointKey()).filter(hash::equals).isPresent()) {
            poll.received(null, hash, true);
            int items = payloads.itemCount(poll.source(), hash).orElse(0);
            poll.inspected(items);
            poll.pageHad(items);
            poll.note((poll.spec().api().paging() == null ? "" : "page " + poll.page() + ": ")
                    + "identical payload already ingested (sha256 " + hash + "): all records skipped");
            return;
        }
        int items = ApiPayload.inspect(body, contentType, mapper, poll.spec().api().itemsPointer(), poll.signature());
        poll.received(withoutBom(body), hash, false);
        poll.inspected(items);
        poll.pageHad(items);
    }

    /** The counts of an identical page, for the route's sql: step. */
    public InputCompletion identicalPage(Exchange exchange) {
        return pageCompletion(Poll.of(exchange));
    }

    /** The batches of the page's second pass, for the splitter. */
    public ItemBatchIterator batches(Exchange exchange) {
        Poll poll = Poll.of(exchange);
        return new ItemBatchIterator(poll.payload(), mapper, poll.spec(), poll.runId(), properties.batchSize(),
                poll.items() - poll.pageItems());
    }

    /** Every batch of the page committed: the payload and the page's checkpoint, for the route's sql: step. */
    public InputCompletion pageStored(Exchange exchange) {
        Poll poll = Poll.of(exchange);
        InputCompletion completion = pageCompletion(poll);
        poll.dropPayload();
        return completion;
    }

    private static InputCompletion pageCompletion(Poll poll) {
        return new InputCompletion(poll.source(), poll.runId(), poll.checkpointKey(), null, poll.pageItems(),
                poll.payloadHash(), poll.payloadHash(), poll.payload(), poll.pageItems());
    }

    /** The schema snapshot the poll's pages add (the baseline, or a drift), or null: the route stores it. */
    public SchemaSnapshot schemaSnapshot(Exchange exchange) throws JsonProcessingException {
        Poll poll = Poll.of(exchange);
        if (poll.signature().isEmpty()) {
            return null; // every page identical, or no items: nothing new to compare
        }
        return drift.compare(poll.source(), poll.runId(), poll.signature());
    }

    /** Every page in: the run's success, for the route's sql: step. */
    public PollCompletion completion(Exchange exchange) {
        Poll poll = Poll.of(exchange);
        return new PollCompletion(poll.runId(), poll.notes());
    }

    /** The run is closed: the metrics learn its outcome, and one summary line is logged. */
    public void finished(Exchange exchange) {
        Poll poll = Poll.of(exchange);
        runs.finished(poll.runId());
        RunCounts c = payloads.counts(poll.runId());
        double seconds = (System.nanoTime() - poll.startedNanos()) / 1e9;
        String pages = poll.spec().api().paging() == null ? "" : " from " + poll.page() + " page(s)";
        log.info("{}: {} items{}, {} inserted, {} updated, {} skipped, {} rejected in {}s{}", poll.source(), c.read(),
                pages, c.inserted(), c.updated(), c.skipped(), c.rejected(),
                String.format(Locale.ROOT, "%.2f", seconds), poll.notes() == null ? "" : " (identical payload)");
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
        Poll poll = Poll.of(exchange);
        poll.dropPayload();
        poll.fetching(false);
        exchange.getIn().removeHeaders("*");
        String page = poll.spec().api().paging() == null || poll.page() == 0 ? "" : "page " + poll.page() + ": ";
        log.error("{}: poll failed: {}{}", poll.source(), page, reason);
        if (poll.runId() == null) {
            return; // the run could not even be started (database down): the log is all there is
        }
        try {
            runs.fail(poll.runId(), page + reason);
        } catch (RuntimeException e) {
            log.error("{}: could not record the failure of run {}: {}", poll.source(), poll.runId(),
                    FetchFailures.describe(e));
        }
    }

    private static byte[] withoutBom(byte[] payload) {
        if (payload.length >= 3 && (payload[0] & 0xff) == 0xEF && (payload[1] & 0xff) == 0xBB
                && (payload[2] & 0xff) == 0xBF) {
            return Arrays.copyOfRange(payload, 3, payload.length);
        }
        return payload;
    }
}
