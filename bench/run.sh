#!/usr/bin/env bash
# Runs the benchmarks recorded in BENCHMARKS.md. Not part of the tests. Needs only a JDK 17+.
#   bench/run.sh            all
#   bench/run.sh condition  JMH: evaluations/s of a 10-node condition, one thread, vs hand-written Java
#   bench/run.sh timers     timer sweep on PostgreSQL: 1,000,000 timers, 1,000 due, vs scanning all
#   bench/run.sh backfill   segment-service backfill of 1,000,000 profiles vs the same segment as hand-written SQL
#   bench/run.sh backfill-random-ids  the same with profile ids in random order, as profile-service's UUIDs
#                           (not part of 'all')
#   bench/run.sh ingestion  profile-service REST batch ingestion into Kafka vs Kafka's producer perf test
#   bench/run.sh e2e        profile-service end to end: event to published snapshot, events/s (not part of 'all')
#   bench/run.sh audience   activation-service: full upload of 1,000,000 members to the Meta stub vs a bare HTTP client
#   bench/run.sh sms        activation-service: triggered SMS at 200/s, change to Twilio stub p50/p99 vs a bare consumer
#   bench/run.sh insights   insights-service: conversion/revenue of 100,000 members over 1,000,000 orders and the
#                           overlap of 6 segments, through the API vs hand-written SQL (not part of 'all')
#   bench/run.sh predictive BG/NBD and Gamma-Gamma: fit time for 100,000 and 1,000,000 customers vs one log-likelihood
#                           pass; JMH: per-profile predictions, and the 10-node condition with and without a
#                           predicted node (not part of 'all')
#   bench/run.sh membership the membership API by profile id: requests/s at saturation (4, 16 connections) and
#                           latency at a fixed 2,000 requests/s (coordinated omission corrected), vs the service's
#                           /q/health/live in the same run (not part of 'all')
#   bench/run.sh scale-out  the four services, one instance each against two each: Online Retail customers through
#                           the platform until every consumer group caught up, messages/s (not part of 'all')
#   bench/run.sh mixed      the four services: identify and mixed traffic to membership in Redis, events/s and p50/p99,
#                           vs Kafka's producer perf test and a Redis SET/GET loop (not part of 'all')
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B install -DskipTests -pl benchmarks -am
CP="benchmarks/target/classes:$(cat benchmarks/target/benchmark.classpath)"
mkdir -p benchmarks/target/tmp
what="${1:-all}"
if [[ "$what" == all || "$what" == condition ]]; then
  java -cp "$CP" org.openjdk.jmh.Main ConditionBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s -t 1 -rf text -rff benchmarks/target/jmh-condition.txt
fi
if [[ "$what" == all || "$what" == timers ]]; then
  java -Djava.io.tmpdir=benchmarks/target/tmp -cp "$CP" io.satsuma.benchmarks.TimerSweepBenchmark segment-service
fi
if [[ "$what" == all || "$what" == backfill ]]; then
  java -Djava.io.tmpdir=benchmarks/target/tmp -cp "$CP" io.satsuma.benchmarks.BackfillBenchmark .
fi
if [[ "$what" == backfill-random-ids ]]; then
  java -Djava.io.tmpdir=benchmarks/target/tmp -cp "$CP" io.satsuma.benchmarks.BackfillBenchmark . random-ids
fi
if [[ "$what" == all || "$what" == ingestion ]]; then
  java -Djava.io.tmpdir=benchmarks/target/tmp -cp "$CP" io.satsuma.benchmarks.IngestionBenchmark .
fi
if [[ "$what" == all || "$what" == audience ]]; then
  java -Xmx3g -Djava.io.tmpdir=benchmarks/target/tmp -cp "$CP" io.satsuma.benchmarks.ActivationBenchmark . audience
fi
if [[ "$what" == all || "$what" == sms ]]; then
  java -Xmx1g -Djava.io.tmpdir=benchmarks/target/tmp -cp "$CP" io.satsuma.benchmarks.ActivationBenchmark . sms
fi
if [[ "$what" == insights ]]; then
  java -Djava.io.tmpdir=benchmarks/target/tmp -cp "$CP" io.satsuma.benchmarks.InsightsBenchmark .
fi
if [[ "$what" == predictive ]]; then
  java -Xmx2g -cp "$CP" io.satsuma.benchmarks.PredictiveFitBenchmark
  java -cp "$CP" org.openjdk.jmh.Main "PredictionBenchmark|PredictedConditionBenchmark|ConditionBenchmark" -f 1 -wi 3 -w 2s -i 5 -r 2s -t 1 \
    -rf text -rff benchmarks/target/jmh-predictive.txt
fi
if [[ "$what" == membership ]]; then
  if ! command -v wrk >/dev/null; then  # the saturation runs use wrk (Debian's package)
    as_root=(); if [[ "$(id -u)" != "0" ]]; then as_root=(sudo); fi
    "${as_root[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq wrk >/dev/null
  fi
  java -Xmx1g -Djava.io.tmpdir=benchmarks/target/tmp -cp "$CP" io.satsuma.benchmarks.MembershipApiBenchmark .
fi
if [[ "$what" == scale-out ]]; then
  java -Xmx2g -Djava.io.tmpdir=benchmarks/target/tmp -cp "$CP" io.satsuma.benchmarks.ScaleOutBenchmark .
fi
if [[ "$what" == mixed ]]; then
  java -Xmx2g -Djava.io.tmpdir=benchmarks/target/tmp -cp "$CP" io.satsuma.benchmarks.MixedTrafficBenchmark .
fi
if [[ "$what" == e2e ]]; then
  java -Djava.io.tmpdir=benchmarks/target/tmp -cp "$CP" io.satsuma.benchmarks.IngestionBenchmark . e2e
fi
