package com.kasparro.etl.ingest.csv;

import com.kasparro.etl.ingest.inbox.InboxEndpoints;
import com.kasparro.etl.store.RunRepository;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/** A {@code *.csv} that belongs to no source: a failed run of source {@code inbox}, file to .error/. */
@Component
public class UnknownFileRoute extends RouteBuilder {

    private static final Logger log = LoggerFactory.getLogger(UnknownFileRoute.class);
    static final String REASON = "unknown file name: expected products*.csv or vendors*.csv";

    private final RunRepository runs;
    private final InboxEndpoints endpoints;

    public UnknownFileRoute(RunRepository runs, InboxEndpoints endpoints) {
        this.runs = runs;
        this.endpoints = endpoints;
    }

    @Override
    public void configure() {
        from(endpoints.uri("unknown-inbox", "*.csv", "products*.csv,vendors*.csv", "error"))
                .routeId("unknown-inbox")
                .process(exchange -> {
                    String name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
                    long size = exchange.getIn().getHeader(Exchange.FILE_LENGTH, 0L, Long.class);
                    MDC.put(CsvFileIngestor.MDC_SOURCE, "inbox");
                    long runId = runs.recordFinished("inbox", "failed", "file", name, null, size, 0, REASON, null);
                    MDC.put(CsvFileIngestor.MDC_RUN_ID, Long.toString(runId));
                    log.error("{}: {}; moved to .error/ (run {})", name, REASON, runId);
                    MDC.remove(CsvFileIngestor.MDC_SOURCE);
                    MDC.remove(CsvFileIngestor.MDC_RUN_ID);
                }).id("record-unknown-file");
    }
}
