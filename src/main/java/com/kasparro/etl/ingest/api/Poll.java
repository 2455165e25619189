package com.kasparro.etl.ingest.api;

import com.kasparro.etl.source.SourceSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * One poll of a json-api source, from its start to its run's end: the one exchange property the
 * poll route's steps share (camel-http would send headers as HTTP headers). Confined to the
 * poll's exchange; not thread-safe.
 */
public final class Poll {

    public static final String PROPERTY = "etl.poll";

    private final SourceSpec spec;
    private final String trigger;
    private final SchemaSignature signature = new SchemaSignature();
    private final List<String> notes = new ArrayList<>();
    private Long runId;
    private boolean guardHeld;
    private boolean skipped;
    private long startedNanos;
    private int page;
    private boolean lastPage;
    private boolean fetching;
    private byte[] payload;
    private String payloadHash;
    private int pageItems;
    private boolean identical;
    private int items;

    public Poll(SourceSpec spec, String trigger) {
        this.spec = spec;
        this.trigger = trigger;
    }

    /** A poll whose guard and run the launcher already took. */
    static Poll launched(SourceSpec spec, String trigger, long runId) {
        Poll poll = new Poll(spec, trigger);
        poll.runId = runId;
        poll.guardHeld = true;
        return poll;
    }

    public static Poll of(Exchange exchange) {
        return exchange.getProperty(PROPERTY, Poll.class);
    }

    public SourceSpec spec() {
        return spec;
    }

    public String source() {
        return spec.source();
    }

    public String trigger() {
        return trigger;
    }

    public Long runId() {
        return runId;
    }

    void started(long runId, long nanos) {
        this.runId = runId;
        this.startedNanos = nanos;
    }

    boolean guardHeld() {
        return guardHeld;
    }

    public boolean skipped() {
        return skipped;
    }

    void skip() {
        this.skipped = true;
    }

    long startedNanos() {
        return startedNanos;
    }

    /** The page being fetched: 1 for a source without paging. */
    public int page() {
        return page;
    }

    /** Moves to the next page; false when the last one is done. */
    boolean advance() {
        if (lastPage) {
            return false;
        }
        page++;
        SourceSpec.Paging paging = spec.api().paging();
        lastPage = paging == null || page >= paging.maxPages();
        return true;
    }

    /** A short page ends the paging. */
    void pageHad(int count) {
        SourceSpec.Paging paging = spec.api().paging();
        if (paging != null && count < paging.size()) {
            lastPage = true;
        }
    }

    /** The checkpoint that holds the hash of this page's last payload ingested in full. */
    String checkpointKey() {
        return spec.api().paging() == null ? "payload" : "page-" + page;
    }

    boolean fetching() {
        return fetching;
    }

    void fetching(boolean fetching) {
        this.fetching = fetching;
    }

    byte[] payload() {
        return payload;
    }

    String payloadHash() {
        return payloadHash;
    }

    void received(byte[] payload, String payloadHash, boolean identical) {
        this.payload = payload;
        this.payloadHash = payloadHash;
        this.identical = identical;
    }

    void inspected(int pageItems) {
        this.pageItems = pageItems;
        this.items += pageItems;
    }

    /** The payload's bytes are stored or not needed any more: they are not kept for the whole poll. */
    void dropPayload() {
        this.payload = null;
    }

    int pageItems() {
        return pageItems;
    }

    public boolean identical() {
        return identical;
    }

    int items() {
        return items;
    }

    SchemaSignature signature() {
        return signature;
    }

    void note(String note) {
        notes.add(note);
    }

    String notes() {
        return notes.isEmpty() ? null : String.join("; ", notes);
    }
}
