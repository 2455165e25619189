package com.kasparro.etl.ingest.csv;

import com.kasparro.etl.config.EtlProperties;
import com.kasparro.etl.config.CompletedFiles;
import com.kasparro.etl.ingest.inbox.InboxEndpoints;
import com.kasparro.etl.normalize.NormalizationRoute;
import com.kasparro.etl.observe.EtlMetrics;
import com.kasparro.etl.observe.RunMdc;
import com.kasparro.etl.source.SourceRegistry;
import com.kasparro.etl.source.SourceSpec;
import com.kasparro.etl.store.CheckpointBehindException;
import com.kasparro.etl.store.RunRepository;
import com.kasparro.etl.store.TransientDatabaseErrors;
import java.util.List;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.AggregationStrategies;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The inbox: one route per CSV source of the {@link SourceRegistry}, each reading its files in
 * batches into the shared normalization route, and one route that refuses a {@code *.csv} that
 * belongs to no source.
 *
 * <p>The file component does the file handling: {@code readLock=changed} leaves a file alone while
 * it still grows, {@code move}/{@code moveFailed} archive it after the exchange, and
 * {@code antInclude} picks the source's names. A completed file's sha256 is kept in a JDBC
 * idempotent repository, so the same content under any name is recognised without reading it
 * (unless an earlier file of the source still waits: {@link CsvFileSteps#alreadyLoaded}). A file's
 * batches are written {@code etl.inbox.writers-per-file} at a time, each in its own transaction on
 * a writer thread of the source's pool, and commit in any order ({@link FileWrites}); the run
 * completes once all of them have.
 */
@Component
public class InboxRoutes extends RouteBuilder {

    /** Header: the source whose route took the file. */
    public static final String SOURCE = "etlSource";

    private static final Logger log = LoggerFactory.getLogger(InboxRoutes.class);

    private final SourceRegistry sources;
    private final EtlProperties properties;
    private final InboxEndpoints endpoints;
    private final CsvFileSteps steps;
    private final RunRepository runs;
    private final DataSource dataSource;
    private final PlatformTransactionManager transactionManager;
    private final EtlMetrics metrics;
    private final FileWrites writes;

    public InboxRoutes(SourceRegistry sources, EtlProperties properties, InboxEndpoints endpoints,
                       CsvFileSteps steps, RunRepository runs, DataSource dataSource,
                       PlatformTransactionManager transactionManager, EtlMetrics metrics, FileWrites writes) {
        this.writes = writes;
        this.sources = sources;
        this.properties = properties;
        this.endpoints = endpoints;
        this.steps = steps;
        this.runs = runs;
        this.dataSource = dataSource;
        this.transactionManager = transactionManager;
        this.metrics = metrics;
    }

    @Override
    public void configure() {
        sources.csv().forEach(this::csvRoute);
        unknownFileRoute();
    }

    private void csvRoute(SourceSpec spec) {
        String source = spec.source();
        EtlProperties.Retry retry = properties.retry();
        from(endpoints.uri(spec.filePattern(), null, "done"))
                .routeId(source + "-inbox")
                // The database is down, not the file at fault: wait for it, however long it takes.
                // The failing step (a batch, a run update) is retried; the file stays in the inbox.
                .onException(Exception.class).onWhen(TransientDatabaseErrors.INSTANCE)
                    .maximumRedeliveries(-1)
                    .redeliveryDelay(retry.initialDelay().toMillis())
                    .useExponentialBackOff().backOffMultiplier(retry.multiplier())
                    .maximumRedeliveryDelay(retry.maxDelay().toMillis())
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                    .onRedelivery(exchange -> metrics.retry(source, EtlMetrics.DATABASE))
                .end()
                // The service is stopping, or the database lost acknowledged batches: the run is closed
                // as interrupted and the file stays (the exchange stays failed, so the file component
                // does not move it to .done/); the next poll resumes it after its checkpoint.
                .onException(CsvBatchReader.StopRequested.class, CheckpointBehindException.class)
                    .handled(false)
                    .bean(steps, "interrupt").id(source + "-interrupt-run")
                .end()
                // Anything else means the file cannot be processed: record why and move it to .error/.
                .onException(Exception.class)
                    .handled(false)
                    .bean(steps, "fail").id(source + "-fail-run")
                .end()
                .setHeader(SOURCE, constant(source))
                .bean(steps, "identify").id(source + "-identify")
                .bean(steps, "claimContent").id(source + "-claim-content")
                .idempotentConsumer(simple("${body.sha256}"))
                    .idempotentRepository(CompletedFiles.of(dataSource, transactionManager, source))
                    .eager(false)           // the key is added only once the file has completed
                    .skipDuplicate(false)   // a duplicate still gets its run, below
                    .choice()
                        .when(method(steps, "alreadyLoaded"))
                            .bean(steps, "recordDuplicate").id(source + "-record-duplicate")
                        .otherwise()
                            .bean(steps, "begin").id(source + "-begin-run")
                            .split(method(steps, "batches")).streaming().stopOnException()
                                .parallelProcessing().executorService(getContext().getExecutorServiceManager()
                                        .newFixedThreadPool(this, source + "-writer", writes.threads()))
                                // The route's thread waits for the file's batches, so the inbox takes
                                // the source's next file only after this one (and the pool serves one file).
                                .synchronous()
                                .onPrepare(writes::enter)
                                // enrich sends a copy and keeps this RecordBatch, failure or not: a
                                // redelivered batch starts again from its input.
                                .enrich(NormalizationRoute.ENDPOINT, AggregationStrategies.useOriginal(true), true)
                                    .id(source + "-normalize-batch")
                            .end()
                            .setBody(method(steps, "completion")).id(source + "-completion")
                            .to("sql:classpath:sql/input-complete.sql?noop=true").id(source + "-complete-run")
                            .bean(steps, "finished").id(source + "-run-finished")
                    .end()
                .end()
                .process(exchange -> RunMdc.clear()).id(source + "-clear-mdc");
    }

    private void unknownFileRoute() {
        List<String> patterns = sources.csv().stream().map(SourceSpec::filePattern).toList();
        String reason = "unknown file name: expected " + String.join(" or ", patterns);
        from(endpoints.uri("*.csv", patterns.stream().collect(Collectors.joining(",")), "error"))
                .routeId("unknown-inbox")
                .process(exchange -> {
                    String name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
                    long size = exchange.getIn().getHeader(Exchange.FILE_LENGTH, 0L, Long.class);
                    RunMdc.source(SourceRegistry.INBOX);
                    long runId = runs.recordFinished(SourceRegistry.INBOX, "failed", "file", name, null, size, 0,
                            reason, null);
                    RunMdc.run(SourceRegistry.INBOX, runId);
                    log.error("{}: {}; moved to .error/ (run {})", name, reason, runId);
                    RunMdc.clear();
                }).id("record-unknown-file");
    }
}
