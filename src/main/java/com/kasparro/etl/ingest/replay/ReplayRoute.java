package com.kasparro.etl.ingest.replay;

import com.kasparro.etl.normalize.NormalizationRoute;
import org.apache.camel.builder.AggregationStrategies;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * A replay run: a source's unresolved rejected rows read again ({@link ReplaySteps#batches}) and
 * sent batch by batch through the normal write path ({@code direct:normalize}: the same validation,
 * upsert and dedup as a file), then one {@code sql:} step closes the run with its note. A batch's
 * rows that now pass are marked resolved in the transaction of their upsert; any failure fails the
 * run, and what was not committed stays unresolved for the next replay.
 */
@Component
public class ReplayRoute extends RouteBuilder {

    public static final String ENDPOINT = "direct:replay";
    /** The {@link Replay}, kept while the body becomes its completion. */
    static final String REPLAY = "etl.replay";

    private final ReplaySteps steps;

    public ReplayRoute(ReplaySteps steps) {
        this.steps = steps;
    }

    @Override
    public void configure() {
        from(ENDPOINT).routeId("replay")
                .onException(Exception.class).handled(true)
                    .bean(steps, "fail").id("replay-fail-run")
                .end()
                .setProperty(REPLAY, body()).id("replay-keep")
                .bean(steps, "start").id("replay-start")
                .split(method(steps, "batches")).streaming().stopOnException()
                    .enrich(NormalizationRoute.ENDPOINT, AggregationStrategies.useOriginal(true), true)
                        .id("replay-normalize-batch")
                .end()
                .setBody(method(steps, "completion")).id("replay-completion")
                .to("sql:classpath:sql/replay-complete.sql?noop=true").id("replay-complete-run")
                .bean(steps, "finished").id("replay-finished");
    }
}
