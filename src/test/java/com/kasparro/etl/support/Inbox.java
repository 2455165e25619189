package com.kasparro.etl.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/** Drops files into the service's inbox the way a careful writer does: temp name, then rename. */
public final class Inbox {

    private final Path dir;

    public Inbox(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path drop(String name, String content) throws IOException {
        return drop(name, content.getBytes(StandardCharsets.UTF_8));
    }

    public Path drop(String name, byte[] content) throws IOException {
        Path tmp = dir.resolve("." + name + ".tmp");
        Files.write(tmp, content);
        return Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Drops several files at the same moment: all are written first, then renamed in one go. */
    public void dropAll(Map<String, String> files) throws IOException {
        dropAll(files, name -> dir.resolve("." + name + ".tmp"));
    }

    /**
     * Drops several files at the same instant from a folder beside the inbox (on its file system):
     * all are written there first, then moved in with {@code ATOMIC_MOVE} one after the other, in
     * the map's order. Returns the files in the inbox.
     */
    public List<Path> dropAllFrom(Path staging, Map<String, String> files) throws IOException {
        Files.createDirectories(staging);
        return dropAll(files, staging::resolve);
    }

    private List<Path> dropAll(Map<String, String> files, Function<String, Path> writtenAt) throws IOException {
        Map<Path, Path> ready = new LinkedHashMap<>();
        for (var file : files.entrySet()) {
            Path written = writtenAt.apply(file.getKey());
            Files.writeString(written, file.getValue());
            ready.put(written, dir.resolve(file.getKey()));
        }
        List<Path> dropped = new ArrayList<>();
        for (var move : ready.entrySet()) {
            dropped.add(Files.move(move.getKey(), move.getValue(), StandardCopyOption.ATOMIC_MOVE));
        }
        return dropped;
    }

    /** Empties the inbox and its archive folders, so that each test sees only its own files. */
    public Inbox clear() throws IOException {
        for (String folder : List.of(".", ".done", ".error")) {
            Path archive = dir.resolve(folder);
            if (Files.isDirectory(archive)) {
                try (Stream<Path> files = Files.list(archive)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        Files.delete(f);
                    }
                }
            }
        }
        return this;
    }

    public List<String> done() throws IOException {
        return list(dir.resolve(".done"));
    }

    public List<String> error() throws IOException {
        return list(dir.resolve(".error"));
    }

    public List<String> pending() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".") && !n.endsWith(".camelLock")).sorted().toList();
        }
    }

    private static List<String> list(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
