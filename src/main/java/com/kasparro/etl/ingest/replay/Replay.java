package com.kasparro.etl.ingest.replay;

import com.kasparro.etl.source.SourceSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * One replay run as its route carries it: which source, which original run (null: all of the
 * source's), and what reading the rejected rows found, for the run's note. Filled by the route's
 * thread only.
 */
public final class Replay {

    private final SourceSpec source;
    private final long runId;
    private final Long onlyRun;
    private final List<Long> replayed = new ArrayList<>();
    private final List<String> notReplayed = new ArrayList<>();
    private long rows;

    Replay(SourceSpec source, long runId, Long onlyRun) {
        this.source = source;
        this.runId = runId;
        this.onlyRun = onlyRun;
    }

    public SourceSpec source() {
        return source;
    }

    public long runId() {
        return runId;
    }

    public Long onlyRun() {
        return onlyRun;
    }

    void replayed(long originalRun, int rowCount) {
        replayed.add(originalRun);
        rows += rowCount;
    }

    void notReplayed(long originalRun, String why) {
        notReplayed.add("run " + originalRun + ": " + why);
    }

    /** The replay run's note: what was read again, and what could not be. */
    public String note() {
        StringBuilder note = new StringBuilder("replay of ").append(rows).append(" unresolved rejected row(s)");
        note.append(replayed.isEmpty() ? "" : " of run(s) " + replayed);
        if (!notReplayed.isEmpty()) {
            note.append("; not replayed: ").append(String.join("; ", notReplayed));
        }
        return note.toString();
    }

    public long rows() {
        return rows;
    }
}
