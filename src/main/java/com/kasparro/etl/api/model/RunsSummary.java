package com.kasparro.etl.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.OffsetDateTime;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunsSummary(long total, long success, long failed, OffsetDateTime lastSuccessAt,
                          OffsetDateTime lastFailureAt) {
}
