package com.kasparro.etl.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kasparro.etl.normalize.CandidateRecord;
import com.kasparro.etl.normalize.RecordBatch;
import com.kasparro.etl.store.Lane;
import com.kasparro.etl.store.LaneCheckpoints;
import com.kasparro.etl.support.BuiltInSources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader alone: physical line numbers, exact raw text, and what real-world CSV throws at it. */
class CsvBatchReaderTest {

    @TempDir
    Path dir;

    @Test
    void bomCrlfHeaderCaseSpacesAndReorderedExtraColumns() throws IOException {
        List<CandidateRecord> rows = read("\uFEFF Price ,CATEGORY, Product_ID ,Name,Colour\r\n"
                + "10,Toys,p1,Ball,red\r\n"
                + "20,Toys,p2,Kite,blue\r\n");
        assertThat(rows).hasSize(2);
        CandidateRecord first = rows.get(0);
        assertThat(first.line()).isEqualTo(2);
        assertThat(first.rawText()).isEqualTo("10,Toys,p1,Ball,red");
        assertThat(first.externalId()).isEqualTo("p1");
        assertThat(first.name()).isEqualTo("Ball");
        assertThat(first.category()).isEqualTo("Toys");
        assertThat(first.value()).isEqualTo("10");
        assertThat(first.attributes()).isEqualTo("{\"colour\":\"red\"}");
        assertThat(first.rawJson()).isEqualTo("{\"price\":\"10\",\"category\":\"Toys\",\"product_id\":\"p1\",\"name\":\"Ball\",\"colour\":\"red\"}");
        assertThat(first.defect()).isNull();
        assertThat(rows.get(1).line()).isEqualTo(3);
    }

    @Test
    void quotedCommasDoubledQuotesAndEmbeddedNewlinesKeepPhysicalLines() throws IOException {
        String text = "product_id,name,category,price\n"
                + "1,\"Desk, large\",Furniture,10\n"
                + "2,\"The \"\"Best\"\" Lamp\",Lighting,20\n"
                + "3,\"Two\nline\r\nname\",Misc,30\n"
                + "\n"
                + "4,After,Misc,40\n";
        List<CandidateRecord> rows = read(text);
        assertThat(rows).extracting(CandidateRecord::line).containsExactly(2L, 3L, 4L, 8L);
        assertThat(rows.get(0).name()).isEqualTo("Desk, large");
        assertThat(rows.get(1).name()).isEqualTo("The \"Best\" Lamp");
        assertThat(rows.get(1).rawText()).isEqualTo("2,\"The \"\"Best\"\" Lamp\",Lighting,20");
        assertThat(rows.get(2).name()).isEqualTo("Two\nline\r\nname");
        assertThat(rows.get(2).rawText()).isEqualTo("3,\"Two\nline\r\nname\",Misc,30");
        assertThat(rows.get(3).rawText()).isEqualTo("4,After,Misc,40");
    }

    @Test
    void lastLineWithoutTerminatorAndShortRows() throws IOException {
        List<CandidateRecord> rows = read("product_id,name,category,price\n1,A,x,1\n2,B\n3,C,x,3");
        assertThat(rows).extracting(CandidateRecord::line).containsExactly(2L, 3L, 4L);
        assertThat(rows.get(1).defect()).isEqualTo("has 2 field(s), the header has 4");
        assertThat(rows.get(1).rawText()).isEqualTo("2,B");
        assertThat(rows.get(2).rawText()).isEqualTo("3,C,x,3");
        assertThat(rows.get(2).defect()).isNull();
    }

    @Test
    void aStrayQuoteRejectsItsLineAndReadingGoesOn() throws IOException {
        List<CandidateRecord> rows = read("product_id,name,category,price\n"
                + "1,A,x,1\n"
                + "2,\"B\"oops,x,2\n"
                + "3,C,x,3\n");
        assertThat(rows).extracting(CandidateRecord::line).containsExactly(2L, 3L, 4L);
        assertThat(rows.get(1).rawText()).isEqualTo("2,\"B\"oops,x,2");
        assertThat(rows.get(1).defect()).startsWith("malformed CSV");
        assertThat(rows.get(2).externalId()).isEqualTo("3");
        assertThat(rows.get(2).defect()).isNull();
    }

    @Test
    void invalidUtf8IsRejectedNotFatal() throws IOException {
        byte[] head = "product_id,name,category,price\n1,Caf".getBytes(StandardCharsets.UTF_8);
        byte[] tail = ",x,1\n2,Ok,x,2\n".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        all[head.length] = (byte) 0xE9; // Latin-1 é: not UTF-8
        System.arraycopy(tail, 0, all, head.length + 1, tail.length);
        List<CandidateRecord> rows = read(all);
        assertThat(rows.get(0).defect()).isEqualTo("invalid UTF-8 byte sequence in column name");
        assertThat(rows.get(0).rawText()).isEqualTo("1,Caf\uFFFD,x,1");
        assertThat(rows.get(1).defect()).isNull();
    }

    @Test
    void headerProblemsFailTheFile() {
        assertThatThrownBy(() -> read("")).isInstanceOf(InvalidFileException.class).hasMessage("empty file: no header row");
        assertThatThrownBy(() -> read("product_id,name,price\n1,a,2\n"))
                .isInstanceOf(InvalidFileException.class).hasMessageStartingWith("required column(s) missing: category");
        assertThatThrownBy(() -> read("product_id,name,category,price,Price\n"))
                .isInstanceOf(InvalidFileException.class).hasMessage("duplicate column name(s) in header: price");
        assertThatThrownBy(() -> read(new byte[] {'P', 'K', 3, 4, 0, 0, 1, 2}))
                .isInstanceOf(InvalidFileException.class).hasMessageContaining("binary");
    }

    @Test
    void headerOnlyHasNoRows() throws IOException {
        assertThat(read("product_id,name,category,price\r\n")).isEmpty();
    }

    @Test
    void batchesAndResumeSkipCommittedLines() throws IOException {
        Path file = numberedRows(25);
        List<RecordBatch> batches = new ArrayList<>();
        try (CsvBatchReader reader = open(file, 10, LaneCheckpoints.none(1), row -> 0)) {
            reader.forEachRemaining(batches::add);
        }
        assertThat(batches).extracting(b -> b.records().size()).containsExactly(10, 10, 5);
        assertThat(batches).extracting(RecordBatch::lastLine).containsExactly(11L, 21L, 26L);

        List<RecordBatch> resumed = new ArrayList<>();
        try (CsvBatchReader reader = open(file, 10, new LaneCheckpoints(new long[] {21}), row -> 0)) {
            reader.forEachRemaining(resumed::add);
        }
        assertThat(resumed).hasSize(1);
        assertThat(resumed.get(0).records()).extracting(CandidateRecord::line).containsExactly(22L, 23L, 24L, 25L, 26L);
        assertThat(resumed.get(0).previousLine()).isEqualTo(21L);
    }

    @Test
    void aFileNoLongerThanOneBatchIsOneBatchInOneLane() throws IOException {
        Path file = write("product_id,name,category,price\n1,a,c,1\n2,b,c,2\n3,c,c,3\n".getBytes(StandardCharsets.UTF_8));
        List<RecordBatch> batches = new ArrayList<>();
        try (CsvBatchReader reader = open(file, 3, LaneCheckpoints.none(3), row -> Integer.parseInt(row.externalId()) % 3)) {
            reader.forEachRemaining(batches::add);
        }
        assertThat(batches).singleElement().satisfies(b -> {
            assertThat(b.lane()).isEqualTo(Lane.ONLY);
            assertThat(b.records()).extracting(CandidateRecord::externalId).containsExactly("1", "2", "3");
        });
    }

    @Test
    void eachLaneIsBatchedOnItsOwnInFileOrderAndResumesAfterItsOwnLine() throws IOException {
        Path file = numberedRows(20);
        ToIntFunction<CandidateRecord> oddOrEven = row -> Integer.parseInt(row.externalId()) % 2;
        List<RecordBatch> batches = new ArrayList<>();
        try (CsvBatchReader reader = open(file, 4, LaneCheckpoints.none(2), oddOrEven)) {
            reader.forEachRemaining(batches::add);
        }
        // Row i is on line i + 1: lane 0 holds the even ids, lane 1 the odd ones; at the end of the
        // file each lane's last rows come out in lane order.
        assertThat(batches).extracting(b -> b.lane().index() + ":" + b.previousLine() + "-" + b.lastLine())
                .containsExactly("1:0-8", "0:0-9", "1:8-16", "0:9-17", "0:17-21", "1:16-20");
        assertThat(batches).allSatisfy(b -> assertThat(b.lane().count()).isEqualTo(2));
        assertThat(batches).flatExtracting(RecordBatch::records).hasSize(20);

        List<RecordBatch> resumed = new ArrayList<>();
        try (CsvBatchReader reader = open(file, 4, new LaneCheckpoints(new long[] {9, 16}), oddOrEven)) {
            reader.forEachRemaining(resumed::add);
        }
        assertThat(resumed).extracting(b -> b.lane().index() + ":" + b.previousLine() + "-" + b.lastLine())
                .containsExactly("0:9-17", "0:17-21", "1:16-20");
        assertThat(resumed).flatExtracting(RecordBatch::records).extracting(CandidateRecord::externalId)
                .containsExactly("10", "12", "14", "16", "18", "20", "17", "19");
    }

    @Test
    void aFileIsBinaryOnlyWhenItsHeaderOrFirstBlockIsNotText() throws IOException {
        // One NUL in a row of text: text; the row is refused by the mapper, not the file.
        List<CandidateRecord> rows = read("product_id,name,category,price\n1,a\0b,c,2\n2,ok,c,3\n");
        assertThat(rows).extracting(CandidateRecord::defect).containsExactly("NUL character in column name", null);
        // Control bytes in more than one byte in twenty of the first block: binary.
        byte[] noisy = ("product_id,name,category,price\n" + "1,\u0001\u0002,c,2\n".repeat(200))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThatThrownBy(() -> read(noisy)).isInstanceOf(InvalidFileException.class)
                .hasMessageStartingWith("not a CSV text file: binary content (400 control bytes in the first ");
    }

    private List<CandidateRecord> read(String text) throws IOException {
        return read(text.getBytes(StandardCharsets.UTF_8));
    }

    private List<CandidateRecord> read(byte[] content) throws IOException {
        List<CandidateRecord> rows = new ArrayList<>();
        try (CsvBatchReader reader = open(write(content), 1000, LaneCheckpoints.none(1), row -> 0)) {
            reader.forEachRemaining(b -> rows.addAll(b.records()));
        }
        return rows;
    }

    /** A products file whose row i (1 to n) has id i and sits on line i + 1. */
    private Path numberedRows(int n) throws IOException {
        StringBuilder text = new StringBuilder("product_id,name,category,price\n");
        for (int i = 1; i <= n; i++) {
            text.append(i).append(",n").append(i).append(",c,").append(i).append('\n');
        }
        return write(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private Path write(byte[] content) throws IOException {
        Path file = Files.createTempFile(dir, "products", ".csv");
        return Files.write(file, content);
    }

    private static CsvBatchReader open(Path file, int batchSize, LaneCheckpoints committed,
                                       ToIntFunction<CandidateRecord> laneOf) throws IOException {
        return CsvBatchReader.open(file, CsvRowMapper.Factory.of(BuiltInSources.registry().get("products_csv")),
                new CsvBatchReader.RunContext("products_csv", 1, file.getFileName().toString(), "hash"),
                batchSize, committed, laneOf, CsvBatchReader.Limits.DEFAULT, () -> false);
    }
}
