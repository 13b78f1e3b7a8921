# Ferry's image, built from this source tree: `docker build -t ferry .` (docker-compose.yml does it).
# Stage 1 builds the runnable jar (Ferry and all its libraries in one file) with Maven; stage 2 is a JRE with nothing else.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests -DskipITs package -pl app -am

FROM eclipse-temurin:17-jre
# A user of its own: Ferry needs no privilege inside the container.
RUN groupadd --system ferry && useradd --system --gid ferry --home-dir /var/lib/ferry --create-home ferry
COPY --from=build /src/app/target/ferry.jar /opt/ferry/ferry.jar
COPY deploy/docker-entrypoint.sh /usr/local/bin/ferry-entrypoint
RUN chmod 0755 /usr/local/bin/ferry-entrypoint
USER ferry
WORKDIR /var/lib/ferry
ENV FERRY_DATA_DIR=/var/lib/ferry
# 8080: REST API, dashboard and /metrics; 5701: cluster membership (the event bus port is FERRY_CLUSTER_EVENTBUS_PORT).
EXPOSE 8080 5701
ENTRYPOINT ["ferry-entrypoint"]
CMD ["--help"]
