package com.kasparro.etl.api;

import com.kasparro.etl.config.EtlProperties;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.Headers;
import org.springframework.stereotype.Component;

/**
 * The checked parameters of {@code GET /prices/{coin_id}}, as the named parameters of
 * {@code sql/api/prices-*.sql} (see {@link RequestParameters} for why a Map body): coinId,
 * vsCurrency (default {@code etl.coingecko.markets.vs-currency}), from and to (null when absent),
 * limit and fetch (one row more than the limit, which tells whether a next page exists).
 */
@Component
public final class PriceParameters {

    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 10_000;
    private static final Pattern CURRENCY = Pattern.compile("[a-z0-9_-]{1,32}");

    private final String defaultCurrency;

    public PriceParameters(EtlProperties properties) {
        this.defaultCurrency = properties.coingecko().markets().vsCurrency();
    }

    public Map<String, Object> prices(@Headers Map<String, Object> headers) {
        RequestParameters.Checked checked = new RequestParameters.Checked(headers);
        Map<String, Object> named = new HashMap<>();
        named.put("coinId", headers.get("coin_id"));
        String currency = checked.text("vs_currency");
        currency = currency == null ? defaultCurrency : currency.toLowerCase(Locale.ROOT);
        if (!CURRENCY.matcher(currency).matches()) {
            throw new BadParameterException("vs_currency must be a CoinGecko vs-currency such as usd");
        }
        named.put("vsCurrency", currency);
        OffsetDateTime from = instant(checked, "from");
        OffsetDateTime to = instant(checked, "to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw new BadParameterException("from must be before to");
        }
        named.put("from", from);
        named.put("to", to);
        int limit = checked.limit(DEFAULT_LIMIT, MAX_LIMIT);
        named.put("limit", limit);
        named.put("fetch", limit + 1);
        return named;
    }

    /** An ISO-8601 instant with its offset; a '+' that arrived unencoded (a space) is read as '+'. */
    private static OffsetDateTime instant(RequestParameters.Checked checked, String name) {
        String text = checked.text(name);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.replace(' ', '+')).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new BadParameterException(name + " must be an ISO-8601 instant such as 2026-12-01T00:00:00Z");
        }
    }
}
