package com.kasparro.etl.ingest.inbox;

import com.kasparro.etl.config.EtlProperties;
import java.io.File;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileOperations;
import org.apache.camel.component.file.strategy.FileChangedExclusiveReadLockStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * The inbox read lock ({@code exclusiveReadLockStrategy=#inboxReadLock}): first what
 * {@code readLock=changed} does (a file still growing is not taken), then a claim on the file's
 * name in PostgreSQL ({@link InboxClaims}), so that of all the replicas polling one shared inbox
 * exactly one works on a file. The claim is released when the exchange ends, after the file
 * component has moved the file to {@code .done/} (commit), or left it for the next poll (rollback).
 * No marker file is written: nothing in the inbox can outlive a killed replica; its claim expires.
 *
 * <p>The file's name is the key: the writer's rename into the inbox is over before a file is
 * seen, and the file component moves the file away before the claim goes, so a later drop under
 * the same name is a new file with a new claim. One instance serves every inbox route.
 */
@Component("inboxReadLock")
public class ClaimingReadLock extends FileChangedExclusiveReadLockStrategy {

    private static final Logger log = LoggerFactory.getLogger(ClaimingReadLock.class);

    private final InboxClaims claims;

    public ClaimingReadLock(InboxClaims claims, EtlProperties properties) {
        this.claims = claims;
        EtlProperties.Inbox inbox = properties.inbox();
        setCheckInterval(inbox.readLockCheckInterval().toMillis());
        setMinAge(inbox.readLockMinAge().toMillis());
        // An empty file is taken too (once older than the min age), to be refused with a reason.
        setMinLength(0);
        setTimeout(inbox.readLockTimeout().toMillis());
        setReadLockLoggingLevel(LoggingLevel.OFF);
        setMarkerFiler(false);
    }

    @Override
    public boolean acquireExclusiveReadLock(GenericFileOperations<File> operations, GenericFile<File> file,
                                            Exchange exchange) throws Exception {
        if (!super.acquireExclusiveReadLock(operations, file, exchange)) {
            return false;
        }
        String key = file.getFileNameOnly();
        try {
            if (!claims.tryClaim(key)) {
                return false;
            }
        } catch (DataAccessException e) {
            // The database is away: the file waits in the inbox, and /health says why.
            log.debug("{}: not claimed, database unavailable: {}", key, e.getMessage());
            return false;
        }
        // The poll listed the file earlier: another replica may have finished it and released its
        // claim since. Then there is nothing left to claim.
        if (!new File(file.getAbsoluteFilePath()).exists()) {
            claims.release(key);
            return false;
        }
        return true;
    }

    @Override
    public void releaseExclusiveReadLockOnAbort(GenericFileOperations<File> operations, GenericFile<File> file,
                                                Exchange exchange) throws Exception {
        super.releaseExclusiveReadLockOnAbort(operations, file, exchange);
        claims.release(file.getFileNameOnly());
    }

    @Override
    public void releaseExclusiveReadLockOnRollback(GenericFileOperations<File> operations, GenericFile<File> file,
                                                   Exchange exchange) throws Exception {
        super.releaseExclusiveReadLockOnRollback(operations, file, exchange);
        claims.release(file.getFileNameOnly());
    }

    @Override
    public void releaseExclusiveReadLockOnCommit(GenericFileOperations<File> operations, GenericFile<File> file,
                                                 Exchange exchange) throws Exception {
        super.releaseExclusiveReadLockOnCommit(operations, file, exchange);
        claims.release(file.getFileNameOnly());
    }
}
