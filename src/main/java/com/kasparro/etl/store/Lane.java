package com.kasparro.etl.store;

/**
 * The lane of its file a batch belongs to, {@code index} of {@code count}: a row's lane follows from
 * its key, and each lane's batches are written one after the other, so a file's last row for a key
 * is always the last one written. Polls and replays have one lane.
 */
public record Lane(int index, int count) {

    public static final Lane ONLY = new Lane(0, 1);

    public Lane {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("lane " + index + " of " + count);
        }
    }

    /** The lane of a row whose key, as the validator normalises it, is {@code key} (null: none). */
    public static int of(String key, int count) {
        return key == null ? 0 : Math.floorMod(key.hashCode(), count);
    }
}
