#!/usr/bin/env bash
# Replays a dataset into a running Satsuma (see README, "Import data"). Needs only a JDK 17+.
#   . .satsuma/local.env && ./import.sh --dataset cdnow --file ../shared/data/CDNOW_master.txt.gz
set -euo pipefail
cd "$(dirname "$0")"
if [[ -z "${PROFILE_URL:-}" && -f .satsuma/local.env ]]; then
  . .satsuma/local.env   # the running platform's URLs and write key
  export PROFILE_URL WRITE_KEY
fi
if [[ ! -f local-platform/target/launcher.classpath ]]; then
  ./mvnw -q -B install -DskipTests -pl local-platform -am
fi
exec java -cp "local-platform/target/classes:$(cat local-platform/target/launcher.classpath)" \
  io.satsuma.platform.importer.ImportCommand "$@"
