package com.kasparro.etl.ingest.coingecko;

import com.kasparro.etl.config.EtlProperties;
import com.kasparro.etl.normalize.NormalizationRoute;
import com.kasparro.etl.observe.EtlMetrics;
import com.kasparro.etl.store.budget.CallBudget;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The CoinGecko source: a Quartz cron and a start-up timer both start the one poll route, which
 * fetches {@code /coins/list}, checks the payload and feeds its batches to the shared normalization
 * route.
 *
 * <p>Every request first takes a slot of the {@link CallBudget} (it may wait for the minute; a spent
 * month fails the run, not retried).
 *
 * <p>Retries are this route's redelivery of the HTTP call only ({@link FetchFailures} decides what
 * is transient); {@link RetryAnnouncer} sets every delay and logs every retry. Anything else fails
 * the run at once. Both clauses are handled: a failed poll ends its exchange, the next tick starts
 * afresh. Camel's own retry/exhaustion logging is off, so each retry is logged exactly once.
 */
@Component
@ConditionalOnProperty(name = "etl.coingecko.enabled", havingValue = "true", matchIfMissing = true)
public class CoinGeckoRoute extends RouteBuilder {

    public static final String POLL = "direct:coingecko-poll";
    /** One request: the redelivered unit, so that each attempt takes its own slot of the call budget. */
    static final String REQUEST = "direct:coingecko-request";

    private final EtlProperties properties;
    private final CoinGeckoPoller poller;
    private final EtlMetrics metrics;
    private final SchemaDriftDetector drift;
    private final CallBudget budget;

    public CoinGeckoRoute(EtlProperties properties, CoinGeckoPoller poller, EtlMetrics metrics,
                          SchemaDriftDetector drift, CallBudget budget) {
        this.properties = properties;
        this.poller = poller;
        this.metrics = metrics;
        this.drift = drift;
        this.budget = budget;
    }

    /** {@code quartz:} URI form of a cron: spaces become {@code +}. */
    static String cronUriValue(String cron) {
        return cron.trim().replaceAll("\\s+", "+");
    }

    /**
     * The request's endpoint: every time-out from {@code etl.coingecko.timeout} (camel-http's
     * defaults are minutes) and HttpClient's own retries off. Endpoint options, so that they
     * apply to this endpoint only and no starter default overrides them.
     */
    static String coinsListUri(String baseUrl, long timeoutMillis) {
        String timeout = Long.toString(timeoutMillis);
        return baseUrl.trim().replaceAll("/+$", "") + "/coins/list"
                + "?connectTimeout=" + timeout + "&soTimeout=" + timeout + "&responseTimeout=" + timeout
                + "&connectionRequestTimeout=" + timeout
                + "&httpClientConfigurer=#" + CoinGeckoHttpConfiguration.CLIENT_CONFIGURER;
    }

    @Override
    public void configure() {
        EtlProperties.CoinGecko api = properties.coingecko();
        EtlProperties.Retry retry = properties.retry();

        from("quartz:coingecko/poll?stateful=true&cron=" + cronUriValue(api.schedule()))
                .routeId("coingecko-schedule")
                .setProperty(CoinGeckoPoller.TRIGGER, constant("schedule"))
                .to(POLL).id("coingecko-scheduled-poll");

        from("timer:coingecko-startup?repeatCount=1&delay=" + Math.max(1, api.startupDelay().toMillis()))
                .routeId("coingecko-startup")
                .setProperty(CoinGeckoPoller.TRIGGER, constant("startup"))
                .to(POLL).id("coingecko-startup-poll");

        from(POLL)
                .routeId("coingecko-poll")
                .onException(Exception.class).onWhen(FetchFailures.TRANSIENT)
                    .maximumRedeliveries(retry.maxAttempts())
                    .redeliveryDelay(retry.initialDelay().toMillis())
                    .onExceptionOccurred(new RetryAnnouncer(retry, metrics, CoinGeckoPoller.SOURCE)).id("coingecko-retry-delay")
                    .logRetryAttempted(false).logExhausted(false).logStackTrace(false)
                    .handled(true)
                    .bean(poller, "failAfterRetries").id("coingecko-fail-after-retries")
                .end()
                // maximumRedeliveries(0): an exception policy inherits the redelivery policy of the
                // clause before it in the same exchange (a 401 after a 503 would be retried).
                .onException(Exception.class)
                    .maximumRedeliveries(0)
                    .logExhausted(false).logStackTrace(false)
                    .handled(true)
                    .bean(poller, "fail").id("coingecko-fail")
                .end()
                .bean(poller, "begin").id("coingecko-begin")
                .choice()
                    .when(exchangeProperty(CoinGeckoPoller.SKIPPED))
                        .stop()
                .end()
                // camel-http sends every non-Camel header: Quartz's, the caller's.
                .removeHeaders("*")
                .bean(poller, "prepareRequest").id("coingecko-prepare-request")
                .to(REQUEST).id("coingecko-fetch")
                .bean(poller, "inspect").id("coingecko-inspect")
                .choice()
                    .when(exchangeProperty(CoinGeckoPoller.IDENTICAL))
                        .setBody(method(poller, "identical")).id("coingecko-identical")
                        .to("sql:classpath:sql/coingecko-run-identical.sql?noop=true").id("coingecko-record-identical")
                    .otherwise()
                        .setBody(method(poller, "schemaSnapshot")).id("coingecko-compare-schema")
                        .filter(body().isNotNull())
                            .to("sql:classpath:sql/schema-snapshot-insert.sql?noop=true").id("coingecko-store-snapshot")
                            .bean(drift, "stored").id("coingecko-snapshot-stored")
                        .end()
                        .split(method(poller, "batches")).streaming().stopOnException()
                            .to(NormalizationRoute.ENDPOINT).id("coingecko-normalize-batch")
                        .end()
                        .setBody(method(poller, "completion")).id("coingecko-completion")
                        .to("sql:classpath:sql/input-complete.sql?noop=true").id("coingecko-complete")
                .end()
                .bean(poller, "finished").id("coingecko-finished");

        // Redelivery repeats the failed step only: the budget and the request are one step of the
        // poll route (this route has no error handler of its own), so each attempt is counted.
        from(REQUEST)
                .routeId("coingecko-request")
                .errorHandler(noErrorHandler())
                .bean(budget, "acquire").id("coingecko-call-budget")
                .to(coinsListUri(api.baseUrl(), api.timeout().toMillis())).id("coingecko-http");
    }
}
