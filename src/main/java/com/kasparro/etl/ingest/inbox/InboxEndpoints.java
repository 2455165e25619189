package com.kasparro.etl.ingest.inbox;

import com.kasparro.etl.config.EtlProperties;
import org.springframework.stereotype.Component;

/**
 * The inbox consumer URIs. Every inbox route shares one set of file-component options: the read
 * lock that waits until a file stops changing and then claims it ({@link ClaimingReadLock}), oldest
 * files first, and unique archive names. Every replica polls on its own schedule; the claim decides
 * which one works on a file. Values come from the bound {@link EtlProperties} rather than raw
 * placeholders: the folder as the one resolved, absolute path, the cron with its spaces encoded.
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
                // The read-lock settings (etl.inbox.read-lock-*) are the bean's own.
                + "&exclusiveReadLockStrategy=#inboxReadLock"
                // This replica's own poll (Spring's scheduler, not the clustered Quartz one): every
                // replica lists the inbox and claims what nobody holds.
                + "&scheduler=spring"
                + "&scheduler.cron=" + inbox.pollSchedule().trim().replace(' ', '+')
                // Oldest first, so that a replica seldom loads a file after a newer one of its source (the
                // merge keeps the newer content either way: Arrivals).
                + "&sortBy=file:modified;file:name"
                // No moveFailed: a file that can never be processed is moved to .error/ by its route's
                // failure step, while one interrupted by a stop fails and stays for the next start.
                + "&move=${bean:inboxArchive." + move + "Name}";
    }
}
