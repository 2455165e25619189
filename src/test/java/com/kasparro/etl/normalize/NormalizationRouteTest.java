package com.kasparro.etl.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import com.kasparro.etl.support.EtlIntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The normalization route is the three steps the architecture page names, in that order. */
@EtlIntegrationTest
class NormalizationRouteTest {

    @Autowired
    CamelContext camel;

    @Test
    void theRouteValidatesWritesAndObserves() throws Exception {
        RouteDefinition route = ((ModelCamelContext) camel).getRouteDefinition("normalize");
        assertThat(route.getOutputs()).extracting(ProcessorDefinition::getId)
                .containsExactly("validate", "write", "observe");

        String architecture = Files.readString(Path.of("docs/architecture.md"));
        assertThat(architecture).contains("`validate` → `write` → `observe`");
    }
}
