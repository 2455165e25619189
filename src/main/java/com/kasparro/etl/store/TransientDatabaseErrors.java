package com.kasparro.etl.store;

import com.kasparro.etl.util.Causes;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Whether a failure is the database's and will pass (connection lost or refused, server shutting
 * down, serialization conflict), as opposed to something wrong with the input. Used as the
 * {@code onWhen} of the redelivery clauses: such a failure is never the file's fault.
 */
public final class TransientDatabaseErrors implements Predicate {

    public static final TransientDatabaseErrors INSTANCE = new TransientDatabaseErrors();

    private TransientDatabaseErrors() {
    }

    @Override
    public boolean matches(Exchange exchange) {
        return isTransient(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class))
                || isTransient(exchange.getException());
    }

    public static boolean isTransient(Throwable error) {
        for (Throwable t = error; t != null; t = Causes.next(t)) {
            // "Application exception overridden by rollback exception": the rollback failed because
            // the connection was already gone. What counts is the failure that started it.
            if (t instanceof TransactionSystemException tse) {
                if (tse.getApplicationException() != null) {
                    return isTransient(tse.getApplicationException());
                }
                // A commit or rollback that failed at the JDBC level with nothing that started it
                // and no SQL state to judge: the pool had already closed the connection under the
                // transaction (CI saw "JDBC rollback failed" caused by Hikari's "Connection is
                // closed" during DatabaseOutageTest). With a state, the walk below judges by it.
                if (!hasSqlState(tse)) {
                    return true;
                }
            }
            if (t instanceof TransientDataAccessException || t instanceof RecoverableDataAccessException
                    || t instanceof DataAccessResourceFailureException
                    || t instanceof CannotCreateTransactionException
                    || t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof ConnectException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                // 08: connection exception; 57P0x: admin/crash shutdown, cannot connect now;
                // 53: insufficient resources; 40001/40P01: serialization failure, deadlock.
                if (state.startsWith("08") || state.startsWith("57P0") || state.startsWith("53")
                        || state.equals("40001") || state.equals("40P01")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasSqlState(Throwable error) {
        for (Throwable t = error; t != null; t = Causes.next(t)) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return true;
            }
        }
        return false;
    }
}
