package com.kasparro.etl.ingest.inbox;

import com.kasparro.etl.config.EtlProperties;
import org.springframework.stereotype.Component;

/**
 * The inbox consumer URIs. Every inbox route shares one set of file-component options: a read
 * lock that waits until a file stops changing, one file per poll, and unique archive names.
 * Polls run on the clustered Quartz scheduler. Values come from the bound {@link EtlProperties} rather than raw placeholders: the folder as the
 * one resolved, absolute path, durations as milliseconds, so that any Spring duration syntax works.
 */
@Component
public class InboxEndpoints {

    private final EtlProperties.Inbox inbox;

    public InboxEndpoints(EtlProperties properties) {
        this.inbox = properties.inbox();
    }

    /**
     * @param triggerId  the route's Quartz trigger, shared by all replicas
     * @param antInclude the names this route takes (case-insensitive)
     * @param antExclude names left to other routes, or null
     * @param move       where a processed file goes: {@code done} or {@code error}
     */
    public String uri(String triggerId, String antInclude, String antExclude, String move) {
        return "file:" + inbox.path()
                + "?antInclude=" + antInclude
                + (antExclude == null ? "" : "&antExclude=" + antExclude)
                + "&antFilterCaseSensitive=false"
                + "&readLock=changed"
                + "&readLockCheckInterval=" + inbox.readLockCheckInterval().toMillis()
                + "&readLockMinAge=" + inbox.readLockMinAge().toMillis()
                // An empty file is taken too (once older than the min age), to be refused with a reason.
                + "&readLockMinLength=0"
                + "&readLockTimeout=" + inbox.readLockTimeout().toMillis()
                + "&readLockLoggingLevel=OFF"
                // No <file>.camelLock marker: a replica killed mid-file leaves its marker behind, and
                // every other replica then skips that file until one of them restarts, loading newer
                // files before it (a later drop no longer wins). Replicas never poll a route at once.
                + "&readLockMarkerFile=false"
                // Polled by the clustered Quartz scheduler: one replica at a time runs a route's
                // poll (its job is @DisallowConcurrentExecution across the cluster); the shared
                // trigger id makes every replica join the same trigger instead of adding its own.
                + "&scheduler=quartz"
                + "&scheduler.cron=" + inbox.pollSchedule().trim().replace(' ', '+')
                + "&scheduler.triggerGroup=kasparro-inbox"
                + "&scheduler.triggerId=" + triggerId
                // Oldest first: a later drop of the same records must win.
                + "&sortBy=file:modified;file:name"
                // No moveFailed: a file that can never be processed is moved to .error/ by its route's
                // failure step, while one interrupted by a stop fails and stays for the next start.
                + "&move=${bean:inboxArchive." + move + "Name}";
    }
}
