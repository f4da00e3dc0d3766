#!/usr/bin/env bash
# Fuzzes every parser the edge exposes to the network (fuzz/fuzz_targets/*.rs) with cargo-fuzz (libFuzzer)
# on the nightly toolchain, for SECONDS_PER_TARGET seconds each (default 60), one target after another.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]
#   FUZZ_TARGETS="webhook query" scripts/fuzz.sh 300     # only some targets
#
# Everything it writes lives under target/fuzz (never in git): the build, the growing corpora
# (target/fuzz/corpus/<target>; fuzz/seeds/<target> is read as extra, read-only input), crash artifacts
# (target/fuzz/artifacts/<target>), each run's log (target/fuzz/logs/<target>.log) and summary.json:
# [{target, seconds, executions, crashes: [artifact paths], status}]. Exits non-zero if any target crashed
# (or failed to run). Reproduce a crash with `cargo +nightly fuzz run <target> <artifact path>` from the
# repository root with CARGO_TARGET_DIR=target/fuzz.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seconds=${1:-60}
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [SECONDS_PER_TARGET]" >&2; exit 2; }

# Built from crates.io source (never a downloaded binary), pinned so every machine fuzzes alike.
cargo_fuzz_version=0.13.2
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz $cargo_fuzz_version from source"
  cargo install cargo-fuzz --version "$cargo_fuzz_version" --locked
elif ! cargo-fuzz --version | grep -qF "$cargo_fuzz_version"; then
  echo "fuzz: note: $(cargo-fuzz --version) is installed; the pinned version is $cargo_fuzz_version" >&2
fi
rustup run nightly rustc --version >/dev/null 2>&1 || {
  echo "fuzz: the nightly toolchain is required (rustup toolchain install nightly)" >&2
  exit 2
}

export CARGO_TARGET_DIR="$root/target/fuzz"
out=$CARGO_TARGET_DIR
mkdir -p "$out/corpus" "$out/artifacts" "$out/logs"

targets=${FUZZ_TARGETS:-$(cargo +nightly fuzz list)}
echo "fuzz: building $(echo $targets | wc -w) targets"
cargo +nightly fuzz build >"$out/logs/build.log" 2>&1 || {
  tail -40 "$out/logs/build.log" >&2
  echo "fuzz: build failed (log: $out/logs/build.log)" >&2
  exit 2
}

json_string() { # a JSON string literal
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}

failed=0
entries=()
printf '%-15s %12s  %s\n' target executions crashes
for target in $targets; do
  corpus=$out/corpus/$target
  artifacts=$out/artifacts/$target
  log=$out/logs/$target.log
  seeds=$root/fuzz/seeds/$target
  mkdir -p "$corpus" "$artifacts"
  [[ -d $seeds ]] || seeds=
  stamp=$(mktemp)

  status=ok
  # -timeout: an input that runs 10 s is a hang, saved as a timeout artifact and counted as a crash.
  cargo +nightly fuzz run "$target" "$corpus" ${seeds:+"$seeds"} -- \
    -max_total_time="$seconds" -timeout=10 -print_final_stats=1 -artifact_prefix="$artifacts/" \
    >"$log" 2>&1 || status=crashed

  executions=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1 || true)
  executions=${executions:-0}
  mapfile -t crashes < <(find "$artifacts" -type f -newer "$stamp" \
    \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | sort)
  rm -f "$stamp"
  if [[ $status == crashed && ${#crashes[@]} -eq 0 ]]; then
    status=error # cargo fuzz failed without a finding: see the log
  elif [[ ${#crashes[@]} -gt 0 ]]; then
    status=crashed
  fi

  if [[ $status == ok ]]; then
    printf '%-15s %12s  0\n' "$target" "$executions"
  else
    failed=1
    if [[ $status == error ]]; then
      printf '%-15s %12s  error: cargo fuzz run failed, see %s\n' "$target" "$executions" "$log"
    else
      printf '%-15s %12s  %d: %s (log: %s)\n' "$target" "$executions" "${#crashes[@]}" "${crashes[*]}" "$log"
      grep -m1 -A3 'panicked at' "$log" | sed 's/^/    /' || true
    fi
  fi

  paths=()
  for c in "${crashes[@]}"; do paths+=("$(json_string "$c")"); done
  entries+=("$(printf '{"target":%s,"seconds":%d,"executions":%d,"crashes":[%s],"status":%s}' \
    "$(json_string "$target")" "$seconds" "$executions" "$(IFS=,; echo "${paths[*]}")" "$(json_string "$status")")")
done

{
  echo "["
  for i in "${!entries[@]}"; do
    sep=,
    [[ $i -eq $((${#entries[@]} - 1)) ]] && sep=
    echo "  ${entries[$i]}$sep"
  done
  echo "]"
} >"$out/summary.json"
echo "fuzz: summary in $out/summary.json"
exit "$failed"
