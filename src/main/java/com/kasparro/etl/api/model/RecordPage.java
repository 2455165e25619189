package com.kasparro.etl.api.model;

import com.kasparro.etl.store.RecordView;
import java.util.List;

public record RecordPage(List<RecordView> items, long total) {
}
