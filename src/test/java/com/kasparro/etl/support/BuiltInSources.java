package com.kasparro.etl.support;

import com.kasparro.etl.source.SourceDefinition;
import com.kasparro.etl.source.SourceRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;

/**
 * The sources of the packaged {@code application.yml}, bound as Spring binds them, for tests
 * without a Spring context: the unit tests exercise the real built-in entries, not copies.
 */
public final class BuiltInSources {

    private BuiltInSources() {
    }

    public static SourceRegistry registry() {
        return SourceRegistry.of(definitions("application.yml"));
    }

    /** The {@code etl.sources} entries of a YAML file on the test classpath. */
    public static Map<String, SourceDefinition> definitions(String classpathYaml) {
        return bind(new ClassPathResource(classpathYaml));
    }

    /** The {@code etl.sources} entries of a YAML text. */
    public static Map<String, SourceDefinition> definitionsFromYaml(String yaml) {
        return bind(new ByteArrayResource(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static Map<String, SourceDefinition> bind(Resource yaml) {
        try {
            MutablePropertySources sources = new MutablePropertySources();
            for (PropertySource<?> source : new YamlPropertySourceLoader().load("yaml", yaml)) {
                sources.addLast(source);
            }
            Binder binder = new Binder(ConfigurationPropertySources.from(sources),
                    new PropertySourcesPlaceholdersResolver(sources));
            return binder.bind("etl.sources", Bindable.mapOf(String.class, SourceDefinition.class)).get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
