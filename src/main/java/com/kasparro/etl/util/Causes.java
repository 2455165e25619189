package com.kasparro.etl.util;

import java.util.Optional;

/** The one walk down an exception's cause chain. */
public final class Causes {

    private Causes() {
    }

    /** The first throwable in {@code error}'s chain (itself included) of {@code type}. */
    public static <T extends Throwable> Optional<T> find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = next(t)) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    /** The last throwable of the chain. */
    public static Throwable root(Throwable error) {
        Throwable root = error;
        for (Throwable t = error; t != null; t = next(t)) {
            root = t;
        }
        return root;
    }

    /** The cause, or null at the end of the chain (a throwable that is its own cause ends it too). */
    public static Throwable next(Throwable t) {
        return t.getCause() == t ? null : t.getCause();
    }
}
