package com.kasparro.etl.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kasparro.etl.config.EtlProperties;
import com.kasparro.etl.normalize.CandidateRecord;
import com.kasparro.etl.normalize.RecordBatch;
import com.kasparro.etl.support.BuiltInSources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure parts, without Spring: payload passes, signature, delays, Retry-After. */
class CoinGeckoPayloadUnitTest {

    final ObjectMapper mapper = new ObjectMapper();

    @Test
    void batchesKeepOrderIndexAndExactRawText() throws Exception {
        String body = "[ {\"id\":\"a\", \"symbol\":\"A\",\"name\":\"Ä\"},{\"id\":\"b\",\"symbol\":\"\"},\n\"x\", {\"name\":\"n\"} ]";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        assertThat(ApiPayload.inspect(bytes, "application/json", mapper, "", new SchemaSignature())).isEqualTo(4);
        List<RecordBatch> batches = new ArrayList<>();
        try (ItemBatchIterator it = new ItemBatchIterator(bytes, mapper, BuiltInSources.registry().get("coingecko_api"),
                9, 3, 0)) {
            it.forEachRemaining(batches::add);
        }
        assertThat(batches).hasSize(2);
        assertThat(batches.get(0).lastLine()).isEqualTo(3);
        assertThat(batches.get(1).lastLine()).isEqualTo(4);
        List<CandidateRecord> all = new ArrayList<>(batches.get(0).records());
        all.addAll(batches.get(1).records());
        assertThat(all).extracting(CandidateRecord::line).containsExactly(1L, 2L, 3L, 4L);
        assertThat(all.get(0).rawText()).isEqualTo("{\"id\":\"a\", \"symbol\":\"A\",\"name\":\"Ä\"}");
        assertThat(all.get(0).attributes()).isEqualTo(all.get(0).rawText());
        assertThat(all.get(0).name()).isEqualTo("Ä");
        assertThat(all.get(1).category()).isEmpty();
        assertThat(all.get(1).name()).isNull();
        assertThat(all.get(2).defect()).isEqualTo("element is not a JSON object (got string)");
        assertThat(all.get(3).defect()).isEqualTo("id is missing");
        assertThat(all.get(3).rawText()).isEqualTo("{\"name\":\"n\"}");
    }

    @Test
    void signatureIsTheUnionOfPathsAndTypes() throws Exception {
        SchemaSignature s = new SchemaSignature();
        s.add(mapper.readTree("{\"id\":\"a\",\"n\":1,\"p\":{\"eth\":\"0x\",\"deep\":{\"x\":true}},\"l\":[1]}"));
        s.add(mapper.readTree("{\"id\":\"b\",\"n\":null,\"p\":{}}"));
        assertThat(s.asMap()).containsExactly(
                java.util.Map.entry("id", "string"), java.util.Map.entry("l", "array"),
                java.util.Map.entry("n", "null|number"), java.util.Map.entry("p", "object"),
                java.util.Map.entry("p.deep", "object"), java.util.Map.entry("p.deep.x", "boolean"),
                java.util.Map.entry("p.eth", "string"));
    }

    @Test
    void malformedShapesAreNamed() {
        assertThatThrownBy(() -> inspect("  {\"a\":1}".getBytes(), null, mapper))
                .hasMessage("expected a JSON array of items, got a JSON object");
        assertThatThrownBy(() -> inspect("\"x\"".getBytes(), null, mapper))
                .hasMessage("expected a JSON array of items, got a JSON string");
        assertThatThrownBy(() -> inspect("[1] [2]".getBytes(), null, mapper))
                .hasMessageStartingWith("invalid JSON: unexpected content after the array");
        assertThatThrownBy(() -> inspect("\n<html>".getBytes(), "application/json", mapper))
                .hasMessageStartingWith("expected a JSON array of items, got HTML");
    }

    private int inspect(byte[] body, String contentType, ObjectMapper mapper) {
        return ApiPayload.inspect(body, contentType, mapper, "", new SchemaSignature());
    }

    @Test
    void itemsCanSitAtAPointerInsideTheBody() {
        byte[] body = "{\"data\":{\"items\":[{\"id\":\"a\"},{\"id\":\"b\"}]},\"next\":null}".getBytes();
        assertThat(ApiPayload.inspect(body, null, mapper, "/data/items", new SchemaSignature())).isEqualTo(2);
        assertThatThrownBy(() -> ApiPayload.inspect(body, null, mapper, "/data/missing", new SchemaSignature()))
                .hasMessage("expected a JSON array of items at /data/missing, got nothing");
    }

    @Test
    void delayIsTheLargerOfBackoffAndRetryAfterCappedAtMaxDelay() {
        EtlProperties.Retry retry = new EtlProperties.Retry(4, Duration.ofSeconds(1), 2, Duration.ofSeconds(60));
        assertThat(RetryAnnouncer.delay(retry, 1, Optional.empty())).isEqualTo(Duration.ofSeconds(1));
        assertThat(RetryAnnouncer.delay(retry, 3, Optional.empty())).isEqualTo(Duration.ofSeconds(4));
        assertThat(RetryAnnouncer.delay(retry, 1, Optional.of(Duration.ofSeconds(7)))).isEqualTo(Duration.ofSeconds(7));
        assertThat(RetryAnnouncer.delay(retry, 4, Optional.of(Duration.ofSeconds(2)))).isEqualTo(Duration.ofSeconds(8));
        assertThat(RetryAnnouncer.delay(retry, 1, Optional.of(Duration.ofHours(1)))).isEqualTo(Duration.ofSeconds(60));
        assertThat(RetryAnnouncer.delay(retry, 10, Optional.empty())).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void retryAfterTakesSecondsOrAnHttpDate() {
        Instant now = Instant.parse("2026-11-25T10:00:00Z");
        assertThat(FetchFailures.parseRetryAfter("120", now)).contains(Duration.ofSeconds(120));
        assertThat(FetchFailures.parseRetryAfter(" 0 ", now)).contains(Duration.ZERO);
        assertThat(FetchFailures.parseRetryAfter("Wed, 25 Nov 2026 10:00:30 GMT", now)).contains(Duration.ofSeconds(30));
        assertThat(FetchFailures.parseRetryAfter("Wed, 25 Nov 2026 09:00:00 GMT", now)).contains(Duration.ZERO);
        assertThat(FetchFailures.parseRetryAfter("soon", now)).isEmpty();
        assertThat(FetchFailures.parseRetryAfter(null, now)).isEmpty();
    }

    @Test
    void cronSpacesBecomePlusInTheQuartzUri() {
        assertThat(JsonApiRoutes.cronUriValue(" 0 0/5 * * * ? ")).isEqualTo("0+0/5+*+*+*+?");
    }
}
