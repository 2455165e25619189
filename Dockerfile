# syntax=docker/dockerfile:1
#
# Kasparro ETL image: two stages, so the runtime image carries a JRE and the
# application only (no JDK, no Maven, no sources).
#
# Build:  docker build -t kasparro-etl:1.0.0 .      (docker compose does this for you)
# Run:    docker run -p 8000:8000 -e SPRING_DATASOURCE_URL=... kasparro-etl:1.0.0
#
# Base images are pinned to a concrete Temurin release so that a rebuild next month
# gives the same JVM; bump the tags on purpose, never float on `latest`.

############################ build stage ############################
FROM eclipse-temurin:17.0.15_6-jdk AS build
WORKDIR /build

# 1) Only what decides the dependency set: this layer (the whole ~/.m2 download) is
#    reused from cache for as long as pom.xml and the wrapper do not change, so an
#    edit to a .java file does not download the internet again.
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
RUN chmod +x mvnw && ./mvnw -B -q -Pdocker dependency:go-offline

# 2) Sources, then the jar (tests run in CI, not in the image build). Profile `docker`
#    leaves the embedded PostgreSQL and its binaries out: the image always has a
#    SPRING_DATASOURCE_URL.
COPY src/ src/
RUN ./mvnw -B -q -Pdocker -DskipTests package

# 3) Split Spring Boot's layered jar into its layers (Spring Boot 3.3+ "tools" jar mode),
#    so that the runtime image gets one Docker layer per rate of change.
#    An empty layer (no SNAPSHOT dependencies) may not be written at all; create it so the
#    COPY below never fails on a missing directory.
RUN java -Djarmode=tools -jar target/kasparro-etl.jar extract --layers --launcher --destination extracted \
 && mkdir -p extracted/dependencies extracted/spring-boot-loader extracted/snapshot-dependencies extracted/application

############################ runtime stage ############################
FROM eclipse-temurin:17.0.15_6-jre

# curl: for the HEALTHCHECK below and so `docker compose exec app scripts/smoke_test.sh`
# works inside the container (the Temurin JRE image does not promise it).
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*

# A fixed numeric UID/GID (not a name) so Kubernetes can verify runAsNonRoot and the
# manifests can say runAsUser: 10001 / fsGroup: 10001.
ARG APP_UID=10001
ARG APP_GID=10001
RUN groupadd --system --gid "${APP_GID}" app \
 && useradd --system --uid "${APP_UID}" --gid "${APP_GID}" --home-dir /app --no-create-home --shell /usr/sbin/nologin app

WORKDIR /app

# Layers from the least to the most often changed: dependencies change rarely, the
# application on every commit.
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./

# The smoke test and its sample shapes ship with the image:
#   docker compose exec app scripts/smoke_test.sh
COPY scripts/ scripts/
COPY samples/ samples/

# The only place the app writes besides /tmp belongs to the app user: the inbox. No
# ./data: the image has no embedded PostgreSQL (compose and Kubernetes give a
# SPRING_DATASOURCE_URL).
RUN mkdir -p /app/inbox \
 && chown "${APP_UID}:${APP_GID}" /app/inbox

ENV ETL_INBOX_DIR=/app/inbox \
    SERVER_PORT=8000

USER 10001:10001
EXPOSE 8000

# Liveness only: a database outage makes /health and readiness 503, which is not a
# reason to call the container unhealthy (it recovers on its own when the DB is back).
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=4 \
  CMD curl -fsS --max-time 4 "http://127.0.0.1:${SERVER_PORT:-8000}/actuator/health/liveness" > /dev/null || exit 1

# Exec form: java is PID 1 and gets SIGTERM directly, so graceful shutdown works.
# Container-aware heap sizing; JAVA_TOOL_OPTIONS can add more flags at run time.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "org.springframework.boot.loader.launch.JarLauncher"]
