package com.kasparro.etl.ingest.api;

import com.kasparro.etl.config.EtlProperties;
import com.kasparro.etl.normalize.NormalizationRoute;
import com.kasparro.etl.observe.EtlMetrics;
import com.kasparro.etl.source.SourceRegistry;
import com.kasparro.etl.source.SourceSpec;
import com.kasparro.etl.store.budget.CallBudget;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The json-api sources: for each enabled entry of the {@link SourceRegistry}, a Quartz cron and a
 * start-up timer both start its one poll route, which fetches its pages, checks each payload and
 * feeds its batches to the shared normalization route.
 *
 * <p>A source of {@code provider: coingecko} takes a slot of the {@link CallBudget} before each
 * request (it may wait for the minute; a spent month fails the run, not retried) and tells the
 * budget when the request's answer or failure is in.
 *
 * <p>Retries are the poll route's redelivery of the HTTP call only ({@link FetchFailures} decides
 * what is transient); {@link RetryAnnouncer} sets every delay and logs every retry. Anything else
 * fails the run at once. Both clauses are handled: a failed poll ends its exchange, the next tick
 * starts afresh from page 1 (pages already written stay). Camel's own retry/exhaustion logging is
 * off, so each retry is logged exactly once.
 */
@Component
public class JsonApiRoutes extends RouteBuilder {

    /** The exchange property of a request's place in the call budget's window. */
    static final String CALL_SLOT = "callBudgetSlot";

    private final SourceRegistry sources;
    private final EtlProperties properties;
    private final ApiPoller poller;
    private final EtlMetrics metrics;
    private final SchemaDriftDetector drift;
    private final CallBudget budget;

    public JsonApiRoutes(SourceRegistry sources, EtlProperties properties, ApiPoller poller, EtlMetrics metrics,
                         SchemaDriftDetector drift, CallBudget budget) {
        this.sources = sources;
        this.properties = properties;
        this.poller = poller;
        this.metrics = metrics;
        this.drift = drift;
        this.budget = budget;
    }

    /** The poll route of a source. */
    public static String pollEndpoint(String source) {
        return "direct:" + source + "-poll";
    }

    private static String requestEndpoint(String source) {
        return "direct:" + source + "-request";
    }

    /** {@code quartz:} URI form of a cron: spaces become {@code +}. */
    static String cronUriValue(String cron) {
        return cron.trim().replaceAll("\\s+", "+");
    }

    /**
     * The request's endpoint: every time-out from the source's {@code timeout} (camel-http's
     * defaults are minutes) and HttpClient's own retries off. Endpoint options, so that they apply
     * to this endpoint only and no starter default overrides them.
     */
    static String requestUri(SourceSpec.Api api) {
        String timeout = Long.toString(api.timeout().toMillis());
        String url = api.url().toString();
        return url + (api.url().getRawQuery() == null ? "?" : "&")
                + "connectTimeout=" + timeout + "&soTimeout=" + timeout + "&responseTimeout=" + timeout
                + "&connectionRequestTimeout=" + timeout
                + "&httpClientConfigurer=#" + ApiHttpConfiguration.CLIENT_CONFIGURER;
    }

    @Override
    public void configure() {
        sources.jsonApi().stream().filter(SourceSpec::enabled).forEach(this::sourceRoutes);
    }

    private void sourceRoutes(SourceSpec spec) {
        String source = spec.source();
        EtlProperties.Retry retry = properties.retry();

        from("quartz:" + source + "/poll?stateful=true&cron=" + cronUriValue(spec.api().schedule()))
                .routeId(source + "-schedule")
                .process(exchange -> exchange.setProperty(Poll.PROPERTY, new Poll(spec, "schedule")))
                    .id(source + "-scheduled")
                .to(pollEndpoint(source)).id(source + "-scheduled-poll");

        from("timer:" + source + "-startup?repeatCount=1&delay="
                + Math.max(1, properties.coingecko().startupDelay().toMillis()))
                .routeId(source + "-startup")
                .process(exchange -> exchange.setProperty(Poll.PROPERTY, new Poll(spec, "startup")))
                    .id(source + "-at-startup")
                .to(pollEndpoint(source)).id(source + "-startup-poll");

        from(pollEndpoint(source))
                .routeId(source + "-poll")
                .onException(Exception.class).onWhen(FetchFailures.TRANSIENT)
                    .maximumRedeliveries(retry.maxAttempts())
                    .redeliveryDelay(retry.initialDelay().toMillis())
                    .onExceptionOccurred(new RetryAnnouncer(retry, metrics, source)).id(source + "-retry-delay")
                    .logRetryAttempted(false).logExhausted(false).logStackTrace(false)
                    .handled(true)
                    .bean(poller, "failAfterRetries").id(source + "-fail-after-retries")
                .end()
                // maximumRedeliveries(0): an exception policy inherits the redelivery policy of the
                // clause before it in the same exchange (a 401 after a 503 would be retried).
                .onException(Exception.class)
                    .maximumRedeliveries(0)
                    .logExhausted(false).logStackTrace(false)
                    .handled(true)
                    .bean(poller, "fail").id(source + "-fail")
                .end()
                .bean(poller, "begin").id(source + "-begin")
                .filter(method(poller, "skipped")).id(source + "-already-polling")
                    .stop()
                .end()
                .loopDoWhile(method(poller, "nextPage")).breakOnShutdown()
                    // camel-http sends every non-Camel header: Quartz's, the caller's.
                    .removeHeaders("*")
                    .bean(poller, "prepareRequest").id(source + "-prepare-request")
                    .to(requestEndpoint(source)).id(source + "-fetch")
                    .bean(poller, "inspect").id(source + "-inspect")
                    .choice()
                        .when(method(poller, "identical"))
                            .setBody(method(poller, "identicalPage")).id(source + "-identical-page")
                            .to("sql:classpath:sql/api-page-identical.sql?noop=true").id(source + "-count-identical-page")
                        .otherwise()
                            .split(method(poller, "batches")).streaming().stopOnException()
                                .to(NormalizationRoute.ENDPOINT).id(source + "-normalize-batch")
                            .end()
                            .setBody(method(poller, "pageStored")).id(source + "-page-completion")
                            .to("sql:classpath:sql/api-page-stored.sql?noop=true").id(source + "-store-page")
                    .end()
                .end().id(source + "-pages")
                .setBody(method(poller, "schemaSnapshot")).id(source + "-compare-schema")
                .filter(body().isNotNull())
                    .to("sql:classpath:sql/schema-snapshot-insert.sql?noop=true").id(source + "-store-snapshot")
                    .bean(drift, "stored").id(source + "-snapshot-stored")
                .end()
                .setBody(method(poller, "completion")).id(source + "-completion")
                .to("sql:classpath:sql/api-poll-succeeded.sql?noop=true").id(source + "-complete")
                .bean(poller, "finished").id(source + "-finished");

        // One request: the step of the poll route that redelivery repeats (this route has no error
        // handler of its own), so that every attempt of a provider's source takes its own slot of
        // the provider's call budget, counted in its window from the answer, failed or not.
        var request = from(requestEndpoint(source))
                .routeId(source + "-request")
                .errorHandler(noErrorHandler());
        if ("coingecko".equals(spec.api().provider())) {
            // Processors, not a method() expression: with setProperty(method(...)) the request carried
            // the headers removed before it, Quartz's among them (CoinGeckoScheduleTest).
            Duration timeout = spec.api().timeout();
            request.process(exchange -> exchange.setProperty(CALL_SLOT, budget.acquire(timeout)))
                        .id(source + "-call-budget")
                    .doTry()
                        .to(requestUri(spec.api())).id(source + "-http")
                    .doFinally()
                        .process(exchange -> budget.answered(exchange.getProperty(CALL_SLOT, OffsetDateTime.class)))
                            .id(source + "-call-answered")
                    .end();
        } else {
            request.to(requestUri(spec.api())).id(source + "-http");
        }
    }
}
