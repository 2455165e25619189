package com.kasparro.etl.ingest.api;

import com.kasparro.etl.config.EtlProperties;
import com.kasparro.etl.observe.EtlMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code onExceptionOccurred} step of the transient-failure clause. It runs before Camel
 * computes the next delay, and sets that delay ({@link Exchange#REDELIVERY_DELAY}) itself:
 * {@code min(max(backoff(n), Retry-After), max-delay)}. The header bypasses the policy's own
 * back-off and cap, hence it is always set. Logs the one line of each retry; after the last
 * attempt there is no retry, hence no line.
 */
public class RetryAnnouncer implements Processor {

    private static final Logger log = LoggerFactory.getLogger(RetryAnnouncer.class);

    private final EtlProperties.Retry retry;
    private final EtlMetrics metrics;
    private final String source;

    public RetryAnnouncer(EtlProperties.Retry retry, EtlMetrics metrics, String source) {
        this.retry = retry;
        this.metrics = metrics;
        this.source = source;
    }

    /** The wait before retry {@code attempt} (1-based). */
    public static Duration delay(EtlProperties.Retry retry, int attempt, Optional<Duration> retryAfter) {
        Duration wait = retry.backoff(attempt);
        if (retryAfter.isPresent() && retryAfter.get().compareTo(wait) > 0) {
            wait = retryAfter.get();
        }
        return wait.compareTo(retry.maxDelay()) > 0 ? retry.maxDelay() : wait;
    }

    @Override
    public void process(Exchange exchange) {
        Integer counter = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        int attempt = counter == null ? 1 : counter;   // the retry that comes next
        if (attempt > retry.maxAttempts()) {
            return; // retries spent: the clause's handler fails the run
        }
        Throwable error = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Optional<Throwable> transientCause = FetchFailures.transientCause(error);
        if (transientCause.isEmpty()) {
            return; // Camel keeps this processor for a later, non-transient failure: no retry then
        }
        Throwable cause = transientCause.get();
        Duration wait = delay(retry, attempt, FetchFailures.retryAfter(cause, Instant.now()));
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, wait.toMillis());
        metrics.retry(source, EtlMetrics.HTTP);
        log.warn("Retrying ({}/{}) after {}s due to: {}", attempt, retry.maxAttempts(),
                String.format(Locale.ROOT, "%.2f", wait.toMillis() / 1000.0), FetchFailures.cause(cause));
    }
}
