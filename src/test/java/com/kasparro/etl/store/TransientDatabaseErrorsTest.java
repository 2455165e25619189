package com.kasparro.etl.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.TransactionSystemException;

/** Which failures mean "wait for the database" rather than "the input is at fault". */
class TransientDatabaseErrorsTest {

    @Test
    void aRollbackThatFailedAfterTheConnectionWasLostIsTransient() {
        // What Spring throws when a batch's connection was killed (57P01) and its rollback then
        // failed on the closed connection: seen when the server restarts under a waiting batch.
        TransactionSystemException failed = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed"));
        failed.initApplicationException(new SQLException("terminating connection due to administrator command", "57P01"));
        assertThat(TransientDatabaseErrors.isTransient(failed)).isTrue();
    }

    @Test
    void aRollbackThatFailedWithNothingRecordedBeforeItIsTransient() {
        // Seen in CI: Camel marked the batch's transaction rollback-only after an I/O error, and the
        // rollback then failed on the connection Hikari had already closed (no SQL state).
        TransactionSystemException failed = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed"));
        assertThat(TransientDatabaseErrors.isTransient(failed)).isTrue();
        assertThat(TransientDatabaseErrors.isTransient(new RuntimeException(failed))).isTrue();
    }

    @Test
    void aCommitThatFailedWithASqlStateIsJudgedByThatState() {
        assertThat(TransientDatabaseErrors.isTransient(new TransactionSystemException("JDBC commit failed",
                new SQLException("connection lost", "08006")))).isTrue();
        assertThat(TransientDatabaseErrors.isTransient(new TransactionSystemException("JDBC commit failed",
                new SQLException("internal error", "XX000")))).isFalse();
    }

    @Test
    void aRollbackFailureAfterAnInputErrorIsNot() {
        TransactionSystemException failed = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed"));
        failed.initApplicationException(new SQLException("invalid input syntax for type json", "22P02"));
        assertThat(TransientDatabaseErrors.isTransient(failed)).isFalse();
    }

    @Test
    void connectionAndShutdownStatesAreTransientAndDataErrorsAreNot() {
        assertThat(TransientDatabaseErrors.isTransient(new SQLException("refused", "08001"))).isTrue();
        assertThat(TransientDatabaseErrors.isTransient(new SQLException("shutdown", "57P01"))).isTrue();
        assertThat(TransientDatabaseErrors.isTransient(new RuntimeException(new SQLException("deadlock", "40P01")))).isTrue();
        assertThat(TransientDatabaseErrors.isTransient(new SQLException("duplicate key", "23505"))).isFalse();
    }
}
