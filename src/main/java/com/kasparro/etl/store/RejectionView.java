package com.kasparro.etl.store;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.OffsetDateTime;

/** A rejected row: where it was, what it said, why it was refused, and the run that loaded it since (or null). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RejectionView(long id, long runId, String source, String fileName, Long lineNumber,
                            String rawText, String reason, OffsetDateTime createdAt, Long resolvedByRun) {
}
