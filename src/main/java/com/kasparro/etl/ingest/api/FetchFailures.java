package com.kasparro.etl.ingest.api;

import com.kasparro.etl.util.Causes;
import com.fasterxml.jackson.core.JacksonException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.impl.EnglishReasonPhraseCatalog;

/**
 * Which failures of a json-api request are transient (retried) and how they read in logs and
 * run errors. Transient: HTTP 429 and 5xx, time-outs, refused, reset or dropped connections; only
 * while the request is being made (a database or parse error later in the poll is never retried
 * here). Malformed JSON is an {@code IOException} too, and is explicitly not transient.
 */
public final class FetchFailures implements Predicate {

    public static final FetchFailures TRANSIENT = new FetchFailures();

    private FetchFailures() {
    }

    @Override
    public boolean matches(Exchange exchange) {
        Poll poll = Poll.of(exchange);
        if (poll == null || !poll.fetching()) {
            return false;
        }
        Throwable error = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return transientCause(error).isPresent();
    }

    /** The throwable in the chain that makes the failure transient, if any. */
    public static Optional<Throwable> transientCause(Throwable error) {
        for (Throwable t = error; t != null; t = Causes.next(t)) {
            if (t instanceof JacksonException || t instanceof MalformedPayloadException) {
                return Optional.empty();
            }
            if (t instanceof HttpOperationFailedException http) {
                int status = http.getStatusCode();
                return status == 429 || status >= 500 ? Optional.of(t) : Optional.empty();
            }
            if (t instanceof SocketTimeoutException || t instanceof ConnectTimeoutException
                    || t instanceof ConnectException || t instanceof SocketException
                    || t instanceof NoHttpResponseException || t instanceof ConnectionClosedException) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** "429 Too Many Requests" for an HTTP status, else "SimpleName: message". */
    public static String cause(Throwable t) {
        if (t instanceof HttpOperationFailedException http) {
            return http.getStatusCode() + " " + reason(http);
        }
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    /** A run's error: "HTTP 404 Not Found", the payload problem, or the most telling cause. */
    public static String describe(Throwable error) {
        if (error == null) {
            return "unknown error";
        }
        Throwable root = error;
        for (Throwable t = error; t != null; t = Causes.next(t)) {
            if (t instanceof HttpOperationFailedException http) {
                return "HTTP " + cause(http);
            }
            if (t instanceof MalformedPayloadException) {
                return t.getMessage();
            }
            root = t;
        }
        Optional<Throwable> transientCause = transientCause(error);
        return cause(transientCause.orElse(root));
    }

    /** The standard reason phrase (servers differ: Jetty says "Server Error" for 500), else the server's. */
    private static String reason(HttpOperationFailedException http) {
        String text = EnglishReasonPhraseCatalog.INSTANCE.getReason(http.getStatusCode(), Locale.ENGLISH);
        if (text == null || text.isBlank()) {
            text = http.getStatusText();
        }
        return text == null ? "" : text.trim();
    }

    /** The server's {@code Retry-After} (delta-seconds or HTTP date), if the failure carries one. */
    public static Optional<Duration> retryAfter(Throwable t, Instant now) {
        if (!(t instanceof HttpOperationFailedException http) || http.getResponseHeaders() == null) {
            return Optional.empty();
        }
        for (Map.Entry<String, String> header : http.getResponseHeaders().entrySet()) {
            if ("Retry-After".equalsIgnoreCase(header.getKey())) {
                return parseRetryAfter(header.getValue(), now);
            }
        }
        return Optional.empty();
    }

    static Optional<Duration> parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim();
        if (v.matches("\\d+")) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            } catch (NumberFormatException e) {
                return Optional.of(Duration.ofSeconds(Long.MAX_VALUE / 1000));
            }
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(now, at);
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException e) {
            return Optional.empty(); // not a valid Retry-After: the back-off alone applies
        }
    }
}
