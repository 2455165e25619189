package com.kasparro.etl.store;

/**
 * A file's batches all reported committed, yet the lines stored for them leave a gap: the database
 * lost batches it had acknowledged (commits are synchronous, so only a server that lies about its
 * flushes, or a restore from an older backup, does that). Nothing of them is stored; the file
 * stays in the inbox, and its next run writes the lines no batch covers.
 */
public class MissingLinesException extends RuntimeException {

    public MissingLinesException(String fileName, CommittedLines committed) {
        super(fileName + ": the stored batches end at line " + committed.unbrokenTo()
                + " and go on after a gap: the database lost batches it had acknowledged");
    }
}
