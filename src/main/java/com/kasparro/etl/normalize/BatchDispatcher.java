package com.kasparro.etl.normalize;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/**
 * Hands one {@link RecordBatch} (or {@link ValidatedBatch}) to the normalization route as an exchange of its own, and rethrows
 * its failure here, in the source route.
 *
 * <p>Why not {@code to("direct:normalize")}: Camel's {@code TransactionErrorHandler} in the
 * transacted route marks a failed exchange as failure-handled, after which the calling route's
 * error handler never redelivers it (and redelivering inside the dead transaction would not help).
 * A separate exchange keeps the retry decision, and a new transaction per attempt, in the source
 * route's {@code onException}: after a database outage the same batch is simply sent again.
 */
@Component
public class BatchDispatcher implements Processor {

    private final ProducerTemplate producer;

    public BatchDispatcher(ProducerTemplate producer) {
        this.producer = producer;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Object batch = exchange.getIn().getMandatoryBody(); // a RecordBatch, or one validated ahead
        // Set by the source route's redelivery: the attempt before may have committed after all.
        boolean retry = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) > 0;
        Exchange result = producer.send(NormalizationRoute.ENDPOINT, attempt -> {
            attempt.getProperties().putAll(exchange.getProperties()); // run context (file size, ...)
            attempt.setProperty(NormalizationRoute.RETRY, retry);
            attempt.getIn().setBody(batch);
        });
        if (result.getException() != null) {
            throw result.getException();
        }
    }
}
