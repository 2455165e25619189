package com.kasparro.etl.ingest.inbox;

import com.kasparro.etl.config.EtlProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Where processed files go: the file consumer's {@code move} expression names the target in
 * {@code .done/} (or {@code .error/} for a file of no source), and {@link #moveToError} moves a file
 * that can never be processed. Camel deletes an existing target before it renames; a name already
 * there therefore gets a timestamp suffix, so no file is ever overwritten.
 */
@Component("inboxArchive")
public class InboxArchive {

    public static final String DONE = ".done";
    public static final String ERROR = ".error";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS");

    private final Path inbox;

    public InboxArchive(EtlProperties properties) {
        this.inbox = properties.inbox().path();
    }

    public String doneName(Exchange exchange) {
        return target(DONE, exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class));
    }

    public String errorName(Exchange exchange) {
        return target(ERROR, exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class));
    }

    /** Moves a file that can never be processed to .error/, under a name no other file has there. */
    public void moveToError(Path file) throws IOException {
        Path target = Path.of(target(ERROR, file.getFileName().toString()));
        Files.createDirectories(target.getParent());
        Files.move(file.toAbsolutePath(), target, StandardCopyOption.ATOMIC_MOVE);
    }

    String target(String folder, String fileName) {
        Path dir = inbox.resolve(folder);
        Path candidate = dir.resolve(fileName);
        if (!Files.exists(candidate)) {
            return candidate.toString();
        }
        int dot = fileName.lastIndexOf('.');
        String base = dot > 0 ? fileName.substring(0, dot) : fileName;
        String ext = dot > 0 ? fileName.substring(dot) : "";
        String stamp = LocalDateTime.now().format(STAMP);
        candidate = dir.resolve(base + "-" + stamp + ext);
        for (int i = 2; Files.exists(candidate); i++) {
            candidate = dir.resolve(base + "-" + stamp + "-" + i + ext);
        }
        return candidate.toString();
    }
}
