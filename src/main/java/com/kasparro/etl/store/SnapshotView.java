package com.kasparro.etl.store;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.OffsetDateTime;

/** A schema snapshot: the signature and, except for the baseline, the diff to the previous one. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SnapshotView(long id, String source, Long runId, String signatureHash,
                           Object signature, Object diff, OffsetDateTime createdAt) {
}
