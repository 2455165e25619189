package com.kasparro.etl.ingest.csv;

import com.kasparro.etl.config.EtlProperties;
import com.kasparro.etl.ingest.inbox.InboxEndpoints;
import com.kasparro.etl.normalize.BatchDispatcher;
import com.kasparro.etl.normalize.SourceSpec;
import org.apache.camel.spi.IdempotentRepository;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/** {@code products*.csv} from the inbox into source {@code products_csv}. */
@Component
public class ProductsInboxRoute extends CsvInboxRoute {

    public ProductsInboxRoute(EtlProperties properties, InboxEndpoints endpoints, CsvFileIngestor ingestor,
                              @Qualifier("productsCompletedFiles") IdempotentRepository completedFiles,
                              BatchDispatcher dispatcher) {
        super(SourceSpec.PRODUCTS, "products*.csv", properties, endpoints, ingestor, completedFiles, dispatcher);
    }
}
