#!/usr/bin/env bash
# `make soak`: the chaos soak at full size (1,000 messages unless SOAK_MESSAGES says otherwise), then every
# fuzz target for FUZZ_SECONDS each (default 60), then their figures into BENCHMARKS.md (the soak section) and
# bench/soak.json. Fails if the soak fails or a fuzz target crashed; the figures are written either way.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/tmp
rm -f bench/tmp/soak.json target/fuzz/summary.json

SOAK_MESSAGES=${SOAK_MESSAGES:-1000} SOAK_REPORT=bench/tmp/soak.json \
  node --test --test-reporter=spec tests/e2e/soak.test.mjs
soak=$?
scripts/fuzz.sh "${FUZZ_SECONDS:-60}"
fuzz=$?
node scripts/soak-report.mjs bench/tmp/soak.json target/fuzz/summary.json
[ $soak -eq 0 ] && [ $fuzz -eq 0 ]
