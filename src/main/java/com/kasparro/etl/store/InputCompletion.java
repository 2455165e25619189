package com.kasparro.etl.store;

/**
 * An input ingested in full, as {@code sql/input-complete.sql} stores it in one statement: its
 * checkpoint completed, its run succeeded, and for an API payload the payload itself.
 *
 * @param checkpointKey a file's sha256, or {@code payload} for an API source's one payload checkpoint
 * @param marker        what the checkpoint shows in {@code /stats}: {@code <file>:complete}, or the payload's hash
 * @param payload       an API payload's bytes (UTF-8 JSON), else null
 */
public record InputCompletion(
        String source,
        long runId,
        String checkpointKey,
        String fileName,
        long lastLine,
        String marker,
        String payloadHash,
        byte[] payload,
        int itemCount) {

    public static InputCompletion file(String source, long runId, String sha256, String fileName) {
        return new InputCompletion(source, runId, sha256, fileName, 0, fileName + ":complete", null, null, 0);
    }
}
