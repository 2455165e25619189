package com.kasparro.etl.store;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/** A valid row in its final shape, ready for the merge. */
public record UnifiedRecord(
        long line,
        String externalId,
        String name,
        String category,
        BigDecimal value,
        String currency,
        OffsetDateTime eventTimestamp,
        String attributesJson,
        String contentHash) {
}
