package com.kasparro.etl.store;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.OffsetDateTime;

/** One point of a coin's price history as the API shows it. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PriceView(OffsetDateTime lastUpdated, BigDecimal price, BigDecimal marketCap, BigDecimal totalVolume) {
}
