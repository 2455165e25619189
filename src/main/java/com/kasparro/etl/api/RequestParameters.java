package com.kasparro.etl.api;

import com.kasparro.etl.source.SourceRegistry;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Headers;
import org.springframework.stereotype.Component;

/**
 * Reads and checks query and path parameters, and answers them as the named parameters of the
 * route's SQL. platform-http hands the request's parameters over as message headers; an empty
 * value ({@code ?source=}) counts as absent, as clients of the original system send it.
 *
 * <p>The answer is a Map for the message body: camel-sql looks a {@code :#name} up in a Map body
 * before the headers, so a statement only ever sees checked, typed values (ints and longs, not the
 * request's text). It is a HashMap because an absent filter is a null value, bound as SQL NULL.
 */
@Component
public final class RequestParameters {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;
    static final List<String> RUN_STATUSES = List.of("running", "success", "failed");
    static final List<String> TIMELINE_BUCKETS = List.of("minute", "hour", "day");
    static final int DEFAULT_BUCKETS = 60;

    private final List<String> sources;
    private final List<String> runSources;

    public RequestParameters(SourceRegistry registry) {
        this.sources = registry.names();
        this.runSources = registry.runSources();
    }

    /** GET /runs: source (or inbox), status, limit, offset. */
    public Map<String, Object> runs(@Headers Map<String, Object> headers) {
        return new Checked(headers).oneOf("source", runSources).oneOf("status", RUN_STATUSES).page().named;
    }

    /** GET /runs/{id}. */
    public Map<String, Object> run(@Headers Map<String, Object> headers) {
        return new Checked(headers).id("id", "id", true).named;
    }

    /** GET /records: source, q as {@code pattern} (null without a search), limit, offset. */
    public Map<String, Object> records(@Headers Map<String, Object> headers) {
        Checked p = new Checked(headers).oneOf("source", sources);
        String q = p.text("q");
        p.named.put("pattern", q == null ? null : containsPattern(q));
        return p.page().named;
    }

    /** GET /records/{source}/{external_id}. */
    public Map<String, Object> record(@Headers Map<String, Object> headers) {
        Checked p = new Checked(headers).oneOf("source", sources);
        p.named.put("externalId", headers.get("external_id"));
        return p.named;
    }

    /** GET /schema-drift: source. */
    public Map<String, Object> snapshots(@Headers Map<String, Object> headers) {
        return new Checked(headers).oneOf("source", sources).named;
    }

    /** GET /rejections: source, run_id as {@code runId}, resolved (true, false or absent), limit, offset. */
    public Map<String, Object> rejections(@Headers Map<String, Object> headers) {
        return new Checked(headers).oneOf("source", sources).id("run_id", "runId", false).bool("resolved")
                .page().named;
    }

    /** POST /rejections/replay: source (required), run_id as {@code runId} (optional). */
    public Map<String, Object> replay(@Headers Map<String, Object> headers) {
        return new Checked(headers).required("source").oneOf("source", sources).id("run_id", "runId", false).named;
    }

    /** GET /rejections.csv: source and run_id as {@code runId}, both required. */
    public Map<String, Object> rejectionsCsv(@Headers Map<String, Object> headers) {
        return new Checked(headers).required("source").oneOf("source", sources).id("run_id", "runId", true).named;
    }

    /** GET /data: source, limit, offset; no search, so the total comes from source_stats. */
    public Map<String, Object> data(@Headers Map<String, Object> headers) {
        Checked p = new Checked(headers).oneOf("source", sources);
        p.named.put("pattern", null);
        return p.page().named;
    }

    /** GET /stats/timeline: bucket (minute, hour or day; default hour) and buckets (1-1000; default 60). */
    public Map<String, Object> timeline(@Headers Map<String, Object> headers) {
        Checked p = new Checked(headers).oneOf("bucket", TIMELINE_BUCKETS);
        p.named.computeIfAbsent("bucket", absent -> "hour");
        String buckets = p.text("buckets");
        p.named.put("buckets", buckets == null ? DEFAULT_BUCKETS : p.bounded("buckets", buckets, 1, MAX_LIMIT));
        return p.named;
    }

    /** {@code q} as a case-insensitive "contains" LIKE pattern, its own wildcards taken literally. */
    static String containsPattern(String query) {
        String escaped = query.toLowerCase(Locale.ROOT)
                .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return "%" + escaped + "%";
    }

    /** One request's parameters, checked one by one into {@link #named}. */
    static final class Checked {

        private final Map<String, Object> headers;
        private final Map<String, Object> named = new HashMap<>();

        Checked(Map<String, Object> headers) {
            this.headers = headers;
        }

        String text(String name) {
            Object value = headers.get(name);
            if (value instanceof Collection<?>) {
                throw new BadParameterException(name + " must be given at most once");
            }
            String text = value == null ? null : value.toString().trim();
            return text == null || text.isEmpty() ? null : text;
        }

        /** limit (an int) and offset (a long), checked together so the first bad one is named. */
        private Checked page() {
            named.put("limit", limit(DEFAULT_LIMIT, MAX_LIMIT));
            named.put("offset", offset());
            return this;
        }

        /** {@code limit}: 1 to {@code max}, {@code defaultLimit} when absent. */
        int limit(int defaultLimit, int max) {
            String text = text("limit");
            return text == null ? defaultLimit : bounded("limit", text, 1, max);
        }

        /** {@code text} as an int from {@code min} to {@code max}, or a bad parameter naming {@code name}. */
        private int bounded(String name, String text, int min, int max) {
            try {
                int value = Integer.parseInt(text);
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw new BadParameterException(name + " must be an integer from " + min + " to " + max);
        }

        private long offset() {
            String text = text("offset");
            if (text == null) {
                return 0L;
            }
            try {
                long offset = Long.parseLong(text);
                if (offset >= 0) {
                    return offset;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw new BadParameterException("offset must be an integer of 0 or more");
        }

        /** An id: a positive long under {@code key}, or null when optional and absent. */
        private Checked id(String name, String key, boolean required) {
            String text = text(name);
            if (text == null) {
                if (required) {
                    throw new BadParameterException(name + " is required");
                }
                named.put(key, null);
                return this;
            }
            try {
                long id = Long.parseLong(text);
                if (id > 0) {
                    named.put(key, id);
                    return this;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw new BadParameterException(name + " must be a positive integer");
        }

        private Checked required(String name) {
            if (text(name) == null) {
                throw new BadParameterException(name + " is required");
            }
            return this;
        }

        /** true or false under {@code name}, or null when absent. */
        private Checked bool(String name) {
            String text = text(name);
            if (text != null && !text.equals("true") && !text.equals("false")) {
                throw new BadParameterException(name + " must be true or false");
            }
            named.put(name, text == null ? null : Boolean.valueOf(text));
            return this;
        }

        /** One of {@code allowed} under {@code name}, or null when absent. */
        private Checked oneOf(String name, Collection<String> allowed) {
            String text = text(name);
            if (text != null && !allowed.contains(text)) {
                throw new BadParameterException(name + " must be one of " + String.join(", ", allowed));
            }
            named.put(name, text);
            return this;
        }
    }
}
