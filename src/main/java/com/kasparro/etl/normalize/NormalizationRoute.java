package com.kasparro.etl.normalize;

import com.kasparro.etl.observe.BatchObserver;
import com.kasparro.etl.store.BatchWriter;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The one route every source feeds, one {@link RecordBatch} at a time: validate it, write it in one
 * transaction ({@link BatchWriter}: raw rows, rejected rows, the upsert, the run's counters and the
 * input's checkpoint), then observe what was written. Each step hands the next a typed value:
 * {@code RecordBatch} → {@code Batch} → {@code WriteResult}.
 *
 * <p>No error handler here: a failure goes back to the calling source route, whose
 * {@code onException} decides between waiting for the database (a file) and failing the run. A
 * retried file batch whose COMMIT had landed finds its checkpoint already moved and writes
 * nothing again.
 */
@Component
public class NormalizationRoute extends RouteBuilder {

    public static final String ENDPOINT = "direct:normalize";

    private final RecordValidator validator;
    private final BatchWriter writer;
    private final BatchObserver observer;

    public NormalizationRoute(RecordValidator validator, BatchWriter writer, BatchObserver observer) {
        this.validator = validator;
        this.writer = writer;
        this.observer = observer;
    }

    @Override
    public void configure() {
        from(ENDPOINT)
                .routeId("normalize")
                .errorHandler(noErrorHandler())
                .bean(validator, "validate").id("validate")
                .bean(writer, "write").id("write")
                .bean(observer, "committed").id("observe");
    }
}
