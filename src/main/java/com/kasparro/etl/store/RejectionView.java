package com.kasparro.etl.store;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.OffsetDateTime;

/** A rejected row: where it was, what it said and why it was refused. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RejectionView(long id, long runId, String source, String fileName, Long lineNumber,
                            String rawText, String reason, OffsetDateTime createdAt) {
}
