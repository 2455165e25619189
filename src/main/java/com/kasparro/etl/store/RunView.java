package com.kasparro.etl.store;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.OffsetDateTime;

/** A run as the API shows it; progress_percent is derived from bytes_read and file_size. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunView(long id, String source, String status, String trigger, String fileName, String fileHash,
                      Long fileSize, long bytesRead, BigDecimal progressPercent, String instanceId,
                      OffsetDateTime startedAt, OffsetDateTime finishedAt, OffsetDateTime createdAt,
                      OffsetDateTime heartbeatAt, long recordsRead, long recordsInserted,
                      long recordsUpdated, long recordsSkipped, long recordsRejected, Long resumedFromLine,
                      String errorMessage, String note) {
}
