#!/usr/bin/env bash
# `make dev`: the simulator on :8081, respondio-sim on :8082 (the respond.io demo shop's channel) and the edge
# (wrangler dev) on :8787. Ctrl-C stops all three. respondio-sim keeps nothing across restarts.
# Both keep their state under .wrangler/ across restarts (the edge's sessions point at the simulator's
# conversations, so the two must survive or go together). `scripts/dev.sh --fresh` starts both empty.
set -euo pipefail
cd "$(dirname "$0")/.."

sim_state=.wrangler/relasi-sim.json
case "${1:-}" in
  "") ;;
  --fresh)
    rm -rf .wrangler/state "$sim_state" "$sim_state.tmp"
    echo "dev: --fresh: removed .wrangler/state and $sim_state"
    ;;
  *) echo "usage: scripts/dev.sh [--fresh]" >&2; exit 2 ;;
esac
mkdir -p .wrangler

if [ ! -f .dev.vars ]; then
  fresh() { node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))"; }
  sed -e "s/^SESSION_SECRET=.*/SESSION_SECRET=$(fresh)/" -e "s/^RELASI_WEBHOOK_SECRET=.*/RELASI_WEBHOOK_SECRET=$(fresh)/" \
    .dev.vars.example > .dev.vars
  echo "dev: wrote .dev.vars (simulator key, fresh session and webhook secrets)"
fi
# A .dev.vars from before the respond.io demo shop gets its channel's development secrets.
if ! grep -q '^DEMO_RIO_TOKEN=' .dev.vars; then
  grep -E '^DEMO_RIO_(TOKEN|PATH)=' .dev.vars.example >> .dev.vars
  echo "dev: added the respond.io demo channel's secrets to .dev.vars"
fi

# With a webhook secret the simulator signs its webhooks with it and sends them to the edge; without one
# the edge polls the core.
hook_secret=$(sed -n 's/^RELASI_WEBHOOK_SECRET=//p' .dev.vars | tail -n 1)
hooks=()
if [ -n "$hook_secret" ]; then
  hooks=(--webhook "http://127.0.0.1:8787/webhooks/relasi,$hook_secret")
  echo "dev: real-time by webhooks"
else
  echo "dev: real-time by polling (no RELASI_WEBHOOK_SECRET in .dev.vars)"
fi

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "dev: stopped"
}
trap stop INT TERM EXIT

setsid target/debug/relasi-sim --listen 127.0.0.1:8081 --state "$sim_state" "${hooks[@]}" &
pids+=($!)
# Its default channel is the demo-rio site's (wrangler.toml, .dev.vars).
setsid target/debug/respondio-sim --listen 127.0.0.1:8082 &
pids+=($!)
WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false \
  setsid node_modules/.bin/wrangler dev --ip 127.0.0.1 --port 8787 --show-interactive-dev-session=false &
pids+=($!)

for _ in $(seq 1 120); do
  curl -fsS http://127.0.0.1:8787/health >/dev/null 2>&1 && break
  sleep 0.5
done
cat <<MSG

  Sapa is running.
    Demo page (the visitor):  http://127.0.0.1:8787/demo/
    Agent inbox (the agent):  http://127.0.0.1:8081/inbox
    On respond.io instead:    http://127.0.0.1:8787/demo/respondio.html, inbox http://127.0.0.1:8082/inbox
  Open both in two windows and chat with yourself. Ctrl-C stops everything.

MSG
wait -n "${pids[@]}"
