package com.kasparro.etl.util;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The one SHA-256 helper: file fingerprints, payload hashes and record content hashes. */
public final class Sha256 {

    private Sha256() {
    }

    /** A new digest; not thread-safe, reuse it per thread with {@link MessageDigest#reset()}. */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    public static String hex(MessageDigest digest, byte[] bytes) {
        digest.reset();
        return HexFormat.of().formatHex(digest.digest(bytes));
    }

    /** The hash of a file's bytes, read as a stream (memory holds a buffer, never the file). */
    public static String hex(Path file) throws IOException {
        MessageDigest sha256 = digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha256.digest());
    }
}
