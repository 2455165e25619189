package com.kasparro.etl.ingest.csv;

import com.kasparro.etl.config.EtlProperties;
import com.kasparro.etl.ingest.inbox.InboxEndpoints;
import com.kasparro.etl.normalize.BatchDispatcher;
import com.kasparro.etl.normalize.CommitOrder;
import com.kasparro.etl.normalize.RunKeys;
import com.kasparro.etl.normalize.SourceSpec;
import com.kasparro.etl.store.CheckpointDivergedException;
import com.kasparro.etl.store.TransientDatabaseErrors;
import java.util.concurrent.ExecutorService;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;

/**
 * The route of one CSV source: its files in the inbox, read in batches into the shared
 * normalization route. Subclasses only name the source and its file pattern.
 *
 * <p>The file component does the file handling: {@code readLock=changed} leaves a file alone
 * while it still grows, {@code move}/{@code moveFailed} archive it after the exchange, and
 * {@code antInclude} picks this source's names. A completed file's sha256 is kept in a JDBC
 * idempotent repository, so the same content under any name is recognised without reading it.
 */
public abstract class CsvInboxRoute extends RouteBuilder {

    private final SourceSpec spec;
    private final String antPattern;
    private final EtlProperties properties;
    private final CsvFileIngestor ingestor;
    private final IdempotentRepository completedFiles;
    private final InboxEndpoints endpoints;
    private final BatchDispatcher dispatcher;

    protected CsvInboxRoute(SourceSpec spec, String antPattern, EtlProperties properties, InboxEndpoints endpoints,
                            CsvFileIngestor ingestor, IdempotentRepository completedFiles,
                            BatchDispatcher dispatcher) {
        this.endpoints = endpoints;
        this.dispatcher = dispatcher;
        this.spec = spec;
        this.antPattern = antPattern;
        this.properties = properties;
        this.ingestor = ingestor;
        this.completedFiles = completedFiles;
    }

    @Override
    public void configure() {
        EtlProperties.Retry retry = properties.retry();
        CsvRowMapper.Factory mapper = CsvRowMapper.Factory.of(spec);
        String source = spec.source();

        from(endpoints.uri(source + "-inbox", antPattern, null, "done"))
                .routeId(source + "-inbox")
                // A crash of PostgreSQL lost batches it had acknowledged (BatchCommitMode): the batch
                // that found out abandons its run for a new one, resuming after the stored checkpoint;
                // the run's other batches give up quietly; the loop below begins again. (Continued,
                // not handled: the split's stopOnException stops at a handled failure too.)
                .onException(CheckpointDivergedException.class)
                    .continued(true)
                    .bean(ingestor, "resumeAfterLoss").id(source + "-resume-run")
                .end()
                // A batch given up because an earlier one failed: that failure has been recorded.
                .onException(CommitOrder.BatchAbortedException.class)
                    .handled(false)
                .end()
                // The database is down, not the file at fault: wait for it, however long it takes.
                // The failing step (a batch, a run update) is retried; the file stays in the inbox.
                .onException(Exception.class).onWhen(TransientDatabaseErrors.INSTANCE)
                    .maximumRedeliveries(-1)
                    .redeliveryDelay(retry.initialDelay().toMillis())
                    .useExponentialBackOff().backOffMultiplier(retry.multiplier())
                    .maximumRedeliveryDelay(retry.maxDelay().toMillis())
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                .end()
                // Anything else means the file cannot be processed: record why, then Camel
                // moves it to .error/ (handled=false keeps the exchange failed for moveFailed).
                .onException(Exception.class)
                    .handled(false)
                    .bean(ingestor, "fail").id(source + "-fail-run")
                .end()
                .setProperty(CsvFileIngestor.SOURCE, constant(source))
                .bean(ingestor, "fingerprint").id(source + "-fingerprint")
                .idempotentConsumer(exchangeProperty(CsvFileIngestor.FILE_HASH))
                    .idempotentRepository(completedFiles)
                    .eager(false)           // the key is added only once the file has completed
                    .skipDuplicate(false)   // a duplicate still gets its run, below
                    .choice()
                        .when(exchangeProperty(Exchange.DUPLICATE_MESSAGE))
                            .bean(ingestor, "recordDuplicate").id(source + "-record-duplicate")
                        .otherwise()
                            // Once, unless a crash of PostgreSQL lost batches it had acknowledged:
                            // then again, as a new run resuming after the stored checkpoint.
                            .process(CsvFileIngestor::firstAttempt).id(source + "-first-attempt")
                            .loopDoWhile(CsvFileIngestor::nextAttempt).id(source + "-runs")
                                .process(exchange -> ingestor.begin(exchange, mapper)).id(source + "-begin-run")
                                // Batches are written by a small pool (CommitOrder keeps their commits
                                // in file order); a full pool makes the splitting thread write one
                                // itself, so at most writers + queue + 1 batches are being written.
                                .split(exchangeProperty(CsvFileIngestor.READER)).streaming().stopOnException()
                                    .parallelProcessing().executorService(batchWriters(source))
                                    .process(RunKeys::restoreMdc).id(source + "-run-mdc")
                                    .process(dispatcher).id(source + "-normalize-batch")
                                .end()
                            .end()
                            .bean(ingestor, "complete").id(source + "-complete-run")
                    .end()
                .end();
    }

    private ExecutorService batchWriters(String source) {
        int writers = properties.batchWriters();
        return getContext().getExecutorServiceManager().newThreadPool(this, source + "-writer",
                new ThreadPoolProfileBuilder(source + "-writers").poolSize(writers).maxPoolSize(writers)
                        .maxQueueSize(writers).rejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns).build());
    }
}
