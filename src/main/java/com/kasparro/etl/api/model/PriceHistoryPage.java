package com.kasparro.etl.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.kasparro.etl.store.PriceView;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A coin's price history in one currency, oldest first. {@code nextFrom}: when more points follow
 * than the limit allowed, the {@code from} that asks for them (just after the last item); else null.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record PriceHistoryPage(String coinId, String vsCurrency, List<PriceView> items, OffsetDateTime nextFrom) {
}
