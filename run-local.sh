#!/usr/bin/env bash
# Runs the whole Satsuma platform locally: PostgreSQL, Kafka, Redis and a dev OIDC issuer (no Docker),
# the four services, and demo data. Needs only a JDK 17+. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")"

if [[ "${SATSUMA_SKIP_BUILD:-}" != "1" ]]; then
  echo "Building Satsuma (./mvnw install -DskipTests) ..."
  ./mvnw -q -B install -DskipTests
fi

mkdir -p .satsuma/tmp
exec java -Xmx1g \
  -Djava.io.tmpdir=.satsuma/tmp \
  -Dsatsuma.root="$PWD" \
  -cp "local-platform/target/classes:$(cat local-platform/target/launcher.classpath)" \
  io.satsuma.platform.LocalPlatform "$@"
