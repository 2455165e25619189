package com.kasparro.etl.ingest.csv;

import com.kasparro.etl.config.EtlProperties;
import com.kasparro.etl.ingest.inbox.InboxEndpoints;
import com.kasparro.etl.normalize.BatchDispatcher;
import com.kasparro.etl.normalize.SourceSpec;
import org.apache.camel.spi.IdempotentRepository;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/** {@code vendors*.csv} from the inbox into source {@code vendors_csv}. */
@Component
public class VendorsInboxRoute extends CsvInboxRoute {

    public VendorsInboxRoute(EtlProperties properties, InboxEndpoints endpoints, CsvFileIngestor ingestor,
                             @Qualifier("vendorsCompletedFiles") IdempotentRepository completedFiles,
                              BatchDispatcher dispatcher) {
        super(SourceSpec.VENDORS, "vendors*.csv", properties, endpoints, ingestor, completedFiles, dispatcher);
    }
}
