package com.kasparro.etl.api.model;

import com.kasparro.etl.store.RejectionView;
import java.util.List;

public record RejectionPage(List<RejectionView> items, long total) {
}
