package com.kasparro.etl.store;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * One coin's price in one currency as CoinGecko last updated it: a row of {@code price_snapshots}.
 * Market cap and volume may be unknown (null); the price and its time may not.
 */
public record PricePoint(String coinId, String vsCurrency, BigDecimal price, BigDecimal marketCap,
                         BigDecimal totalVolume, OffsetDateTime lastUpdated) {

    public PricePoint {
        Objects.requireNonNull(coinId, "coinId");
        Objects.requireNonNull(vsCurrency, "vsCurrency");
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(lastUpdated, "lastUpdated");
    }
}
