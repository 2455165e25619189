package com.kasparro.etl.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Dependencies point one way: ingest → normalize → store and observe; source, config and util are
 * below all of them. A package imports nothing from a package above it.
 */
class LayeringTest {

    private static final Path MAIN = Path.of("src/main/java/com/kasparro/etl");

    static Stream<Map.Entry<String, List<String>>> layers() {
        return Map.of(
                "normalize", List.of("ingest", "api"),
                "store", List.of("ingest", "normalize", "observe", "api"),
                "observe", List.of("ingest", "normalize", "api"),
                "source", List.of("ingest", "normalize", "store", "observe", "api", "config"),
                "util", List.of("ingest", "normalize", "store", "observe", "api", "config", "source"),
                "config", List.of("ingest", "normalize", "store", "observe", "api")).entrySet().stream();
    }

    @ParameterizedTest
    @MethodSource("layers")
    void aPackageImportsNothingFromAbove(Map.Entry<String, List<String>> layer) throws IOException {
        try (Stream<Path> files = Files.walk(MAIN.resolve(layer.getKey()))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                for (String above : layer.getValue()) {
                    assertThat(Files.readString(file)).as(file + " imports from " + above)
                            .doesNotContain("import com.kasparro.etl." + above + ".");
                }
            }
        }
    }
}
