package com.kasparro.etl.source;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * One entry under {@code etl.sources.<name>}, as Spring binds it. Every field is optional here;
 * {@link SourceRegistry} checks the entry and turns it into a {@link SourceSpec}, naming the
 * property path of anything wrong.
 *
 * @param kind       {@code csv} or {@code json-api}
 * @param files      csv: the inbox file names, a glob matched case-insensitively
 * @param url        json-api: the request URL
 * @param schedule   json-api: the Quartz cron of the poll
 * @param items      json-api: the JSON pointer of the array of items; "" or unset: the body is the array
 * @param headers    json-api: request headers; a blank value is not sent; values are never logged
 * @param provider   json-api: an account whose settings the requests share ({@code coingecko}: the
 *                   API key header and the call budget of {@code etl.coingecko.*})
 * @param paging     json-api: fetch pages 1..max-pages, adding {@code param=N} to the URL
 * @param attributes {@code unmapped} (default): the columns or item fields no field maps;
 *                   {@code whole}: the whole item (json-api)
 * @param timeout    json-api: connect and read time-out of one request
 * @param enabled    false: the source is known (its records, runs, API) but not polled or read
 */
public record SourceDefinition(
        String kind,
        String files,
        String url,
        String schedule,
        String items,
        Map<String, String> headers,
        Map<String, Field> fields,
        String provider,
        Paging paging,
        String attributes,
        Duration timeout,
        Boolean enabled) {

    /**
     * One unified field: where its value comes from ({@code column} of a csv source, {@code path}
     * inside a json-api item, or a constant {@code value}), and its rule.
     */
    public record Field(
            String column,
            String path,
            String value,
            String transform,
            String type,
            Boolean required,
            BigDecimal minExclusive,
            BigDecimal minInclusive,
            BigDecimal maxInclusive) {
    }

    /** Page N is {@code url&param=N}; a page with fewer than {@code size} items is the last. */
    public record Paging(String param, Integer size, Integer maxPages) {
    }
}
