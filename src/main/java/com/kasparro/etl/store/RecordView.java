package com.kasparro.etl.store;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Map;

/** A unified record as the API shows it, attributes as a JSON object. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RecordView(long id, String source, String externalId, String name, String category,
                         BigDecimal value, String currency, OffsetDateTime eventTimestamp,
                         Map<String, Object> attributes, String contentHash,
                         OffsetDateTime createdAt, OffsetDateTime updatedAt) {
}
