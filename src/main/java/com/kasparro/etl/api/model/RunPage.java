package com.kasparro.etl.api.model;

import com.kasparro.etl.store.RunView;
import java.util.List;

public record RunPage(List<RunView> items, long total) {
}
