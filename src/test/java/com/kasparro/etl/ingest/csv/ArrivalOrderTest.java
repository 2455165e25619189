package com.kasparro.etl.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.kasparro.etl.support.EtlIntegrationTest;
import com.kasparro.etl.support.ServiceTestSupport;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A record holds the content of the last file that arrived with its key, whichever file is loaded
 * last. A file can be loaded after newer ones of its source: its replica died holding its claim (as
 * here: a claim of another replica on the file, which expires), or it was slow. Its rows then leave
 * the newer files' records alone: those whose content the newer file changed, those it left as
 * they were, and those of an identical re-drop that would otherwise be skipped.
 */
@EtlIntegrationTest
class ArrivalOrderTest extends ServiceTestSupport {

    private static final String HEADER = "product_id,name,category,price\n";

    @BeforeEach
    void noClaims() {
        jdbcTemplate.update("DELETE FROM inbox_claims");
    }

    @Test
    void aFileLoadedAfterANewerFileOfItsSourceLeavesTheNewerContent() throws Exception {
        inbox.drop("products-1.csv", HEADER + "P1,One,a,1\nP2,Two,a,2\nP3,Three,a,3\n");
        awaitSuccess("products-1.csv");

        heldByAnotherReplica("products-2.csv");
        inbox.drop("products-2.csv", HEADER + "P1,One,b,10\nP2,Two,b,20\nP3,Three,a,3\n");
        inbox.drop("products-3.csv", HEADER + "P1,One,c,100\nP2,Two,a,2\nP4,Four,c,4\n");
        awaitSuccess("products-3.csv");
        assertThat(runsOf("products-2.csv")).isZero();

        theOtherReplicaDied("products-2.csv");
        awaitSuccess("products-2.csv");

        assertThat(products()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "P1", "c 100",      // changed by the newer file
                "P2", "a 2",        // left as it was by the newer file
                "P3", "a 3",        // in the older file only
                "P4", "c 4"));
        assertThat(db.count("SELECT count(*) FROM etl_runs WHERE file_name = 'products-3.csv' AND overtakes")).isOne();
        assertThat(db.row("SELECT records_read, records_inserted, records_updated, records_skipped FROM etl_runs "
                + "WHERE file_name = 'products-2.csv'")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "records_read", 3L, "records_inserted", 0L, "records_updated", 0L, "records_skipped", 3L));

        // The older file's content dropped again is the newest drop: it applies.
        inbox.drop("products-4.csv", HEADER + "P1,One,b,10\nP2,Two,b,20\nP3,Three,a,3\n");
        awaitSuccess("products-4.csv");
        assertThat(products()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "P1", "b 10", "P2", "b 20", "P3", "a 3", "P4", "c 4"));
    }

    @Test
    void anIdenticalReDropIsLoadedWhileAnEarlierFileOfItsSourceWaits() throws Exception {
        String first = HEADER + "P1,One,a,1\nP2,Two,a,2\n";
        inbox.drop("products-1.csv", first);
        awaitSuccess("products-1.csv");

        heldByAnotherReplica("products-2.csv");
        inbox.drop("products-2.csv", HEADER + "P1,One,b,10\n");
        inbox.drop("products-3.csv", first);
        awaitSuccess("products-3.csv");
        assertThat(db.row("SELECT records_read, note FROM etl_runs WHERE file_name = 'products-3.csv'"))
                .containsEntry("records_read", 2L).containsEntry("note", null);

        theOtherReplicaDied("products-2.csv");
        awaitSuccess("products-2.csv");
        assertThat(products()).containsExactlyInAnyOrderEntriesOf(Map.of("P1", "a 1", "P2", "a 2"));

        // With no earlier file waiting, the same bytes again are skipped as before.
        inbox.drop("products-5.csv", HEADER + "P1,One,a,1\nP2,Two,a,2\nP5,Five,a,5\n");
        awaitSuccess("products-5.csv");
        await().until(() -> db.count("SELECT count(*) FROM camel_messageprocessed m JOIN etl_runs r "
                + "ON r.file_hash = m.messageid WHERE r.file_name = 'products-5.csv'") == 1);
        inbox.drop("products-6.csv", HEADER + "P1,One,a,1\nP2,Two,a,2\nP5,Five,a,5\n");
        awaitSuccess("products-6.csv");
        assertThat(db.row("SELECT note FROM etl_runs WHERE file_name = 'products-6.csv'").get("note"))
                .asString().startsWith("identical content already ingested");
    }

    @Test
    void namesBreakTiesInTheDatabaseAsTheServiceComparesThem() {
        // Byte order, as Arrival compares names, whatever the database's default collation.
        assertThat(db.row("SELECT collation_name FROM information_schema.columns "
                + "WHERE table_name = 'unified_records' AND column_name = 'input_name'"))
                .containsEntry("collation_name", "C");
    }

    /** A live claim of another replica on the file: this service leaves the file alone. */
    private void heldByAnotherReplica(String file) {
        jdbcTemplate.update("INSERT INTO inbox_claims (claim_key, holder, instance_id, expires_at) "
                + "VALUES (?, 'elsewhere#1', 'elsewhere', now() + interval '10 minutes')", file);
    }

    /** Its lease runs out: the file is taken over here. */
    private void theOtherReplicaDied(String file) {
        jdbcTemplate.update("UPDATE inbox_claims SET expires_at = now() - interval '1 second' WHERE claim_key = ?", file);
    }

    /** Its run succeeded and the file is out of the inbox. */
    private void awaitSuccess(String file) {
        await().atMost(Duration.ofSeconds(60)).until(() -> db.count(
                "SELECT count(*) FROM etl_runs WHERE file_name = ? AND status = 'success'", file) == 1
                && inbox.done().contains(file));
    }

    private long runsOf(String file) {
        return db.count("SELECT count(*) FROM etl_runs WHERE file_name = ?", file);
    }

    private Map<String, String> products() {
        Map<String, String> records = new java.util.HashMap<>();
        db.rows("SELECT external_id, category || ' ' || value AS content FROM unified_records "
                + "WHERE source = 'products_csv'").forEach(r -> records.put((String) r.get("external_id"),
                (String) r.get("content")));
        return records;
    }
}
