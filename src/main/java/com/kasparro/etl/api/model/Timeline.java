package com.kasparro.etl.api.model;

import java.util.List;

/** Runs and records loaded over time, per source: the status page's chart. */
public record Timeline(String bucket, int buckets, List<TimelinePoint> items) {
}
