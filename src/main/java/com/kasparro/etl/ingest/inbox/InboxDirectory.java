package com.kasparro.etl.ingest.inbox;

import com.kasparro.etl.config.EtlProperties;
import com.kasparro.etl.config.InvalidSettingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/** Creates the inbox and its archive folders at start, or stops the start naming the setting. */
@Component
public class InboxDirectory {

    public InboxDirectory(EtlProperties properties) {
        Path inbox = properties.inbox().path();
        try {
            Files.createDirectories(inbox.resolve(InboxArchive.DONE));
            Files.createDirectories(inbox.resolve(InboxArchive.ERROR));
        } catch (IOException | SecurityException e) {
            throw new InvalidSettingException("etl.inbox.dir", properties.inbox().dir(),
                    "cannot create the inbox folder " + inbox + " (" + e + ")");
        }
        if (!Files.isDirectory(inbox) || !Files.isReadable(inbox) || !Files.isWritable(inbox)) {
            throw new InvalidSettingException("etl.inbox.dir", properties.inbox().dir(),
                    inbox + " is not a readable and writable folder");
        }
    }
}
