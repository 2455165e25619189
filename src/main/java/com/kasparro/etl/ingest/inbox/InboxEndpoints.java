package com.kasparro.etl.ingest.inbox;

import com.kasparro.etl.config.EtlProperties;
import org.springframework.stereotype.Component;

/**
 * The inbox consumer URIs. Every inbox route shares one set of file-component options: a read
 * lock that waits until a file stops changing, one file per poll, and unique archive names.
 * Values come from the bound {@link EtlProperties} rather than raw placeholders: the folder as the
 * one resolved, absolute path, durations as milliseconds, so that any Spring duration syntax works.
 */
@Component
public class InboxEndpoints {

    private final EtlProperties.Inbox inbox;

    public InboxEndpoints(EtlProperties properties) {
        this.inbox = properties.inbox();
    }

    /**
     * @param antInclude the names this route takes (case-insensitive)
     * @param antExclude names left to other routes, or null
     * @param move       where a processed file goes: {@code done} or {@code error}
     */
    public String uri(String antInclude, String antExclude, String move) {
        return "file:" + inbox.path()
                + "?antInclude=" + antInclude
                + (antExclude == null ? "" : "&antExclude=" + antExclude)
                + "&antFilterCaseSensitive=false"
                + "&readLock=changed"
                + "&readLockCheckInterval=" + inbox.readLockCheckInterval().toMillis()
                + "&readLockMinAge=" + inbox.readLockMinAge().toMillis()
                + "&readLockTimeout=" + inbox.readLockTimeout().toMillis()
                + "&readLockLoggingLevel=OFF"
                + "&delay=" + inbox.pollDelay().toMillis()
                + "&maxMessagesPerPoll=1"
                + "&move=${bean:inboxArchive." + move + "Name}"
                + "&moveFailed=${bean:inboxArchive.errorName}";
    }
}
