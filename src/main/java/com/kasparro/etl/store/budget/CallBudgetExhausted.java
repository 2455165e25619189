package com.kasparro.etl.store.budget;

/** The calendar month's requests are spent: no request may be made before the month turns. */
public class CallBudgetExhausted extends RuntimeException {

    public CallBudgetExhausted(String message) {
        super(message);
    }
}
