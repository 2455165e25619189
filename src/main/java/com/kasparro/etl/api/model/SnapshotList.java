package com.kasparro.etl.api.model;

import com.kasparro.etl.store.SnapshotView;
import java.util.List;

public record SnapshotList(List<SnapshotView> items) {
}
