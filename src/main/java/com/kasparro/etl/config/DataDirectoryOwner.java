package com.kasparro.etl.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The one process that owns an embedded data directory: it holds an exclusive lock on
 * {@code <data-dir>.owner} for its whole life and writes its process id, HTTP port and database
 * port there. The operating system drops the lock when the process ends, however it ends, so a
 * lock that can be taken proves the previous owner gone; a lock that cannot names the owner.
 */
public final class DataDirectoryOwner implements AutoCloseable {

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryOwner(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the data directory, or fails naming the live instance that has it.
     *
     * @throws InvalidSettingException naming {@code etl.embedded-db.data-dir} when another instance owns it
     */
    public static DataDirectoryOwner claim(Path dataDir) throws IOException {
        Path file = ownerFile(dataDir);
        Files.createDirectories(file.getParent());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null; // another context of this JVM holds it
        }
        if (lock == null) {
            String owner = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim().replace('\n', ' ');
            channel.close();
            throw new InvalidSettingException("etl.embedded-db.data-dir", dataDir,
                    "is in use by a running instance (" + (owner.isEmpty() ? "starting" : owner)
                            + "); stop it, or give this one another data directory");
        }
        return new DataDirectoryOwner(file, channel, lock);
    }

    /** {@code ./data/postgres} is owned through {@code ./data/postgres.owner}. */
    public static Path ownerFile(Path dataDir) {
        return dataDir.resolveSibling(dataDir.getFileName() + ".owner");
    }

    /** Writes who owns the directory, for the next process to name. */
    public void record(String httpPort, int databasePort) throws IOException {
        String text = "pid=" + ProcessHandle.current().pid() + "\nhttp-port=" + httpPort
                + "\ndatabase-port=" + databasePort + "\n";
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(true);
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        try {
            channel.truncate(0);
        } finally {
            lock.release();
            channel.close();
        }
    }
}
