#!/usr/bin/env bash
# Runs inside `xvfb-run dbus-run-session` (see make test-desktop): the real
# keyring, the real window, and Playwright against the real Go bindings.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${HERALD_BIN:?}" "${HERALD_DEV_BIN:?}" "${HERALD_ARTIFACTS:?}"

# A throwaway keyring: never the developer's own.
export XDG_DATA_HOME
XDG_DATA_HOME=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$XDG_DATA_HOME"
}
trap cleanup EXIT
echo -n herald-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null

echo "== real keyring (Secret Service over D-Bus) and desktop notifications"
go test -tags keyring -count=1 ./backend/secrets/
go test -tags dbus -count=1 ./backend/notify/

echo "== desktop smoke test (window under Xvfb)"
go test -tags e2e -count=1 -v -timeout 10m ./test/desktop/ 2>&1 | grep -vE '^=== (RUN|PAUSE|CONT)' | tee "$HERALD_ARTIFACTS/desktop-tests.log" | grep -E '^(---|ok|FAIL|PASS|\s+\S+_test\.go)' || true
grep -q '^ok' "$HERALD_ARTIFACTS/desktop-tests.log" || { cat "$HERALD_ARTIFACTS/desktop-tests.log"; exit 1; }

echo "== Playwright in Chromium against the real Go bindings"
port=${HERALD_E2E_PORT:-34115}
data=$(mktemp -d)
HOME_E2E=$(mktemp -d)
HOME=$HOME_E2E HERALD_DATA_DIR=$data "$HERALD_DEV_BIN" -assetdir frontend/dist -devserver "127.0.0.1:$port" \
  >"$HERALD_ARTIFACTS/e2e-app.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 90); do
  curl -sf -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 1
done
curl -sf -o /dev/null "http://127.0.0.1:$port/" || { echo "the dev server did not come up"; cat "$HERALD_ARTIFACTS/e2e-app.log"; exit 1; }
HERALD_E2E_URL="http://127.0.0.1:$port/" HERALD_E2E_DATA_DIR=$data \
HERALD_E2E_SCHEMA_VERSION=$(go run ./scripts/schemaversion) HERALD_E2E_ARTIFACTS=$HERALD_ARTIFACTS \
  node --test --test-reporter=spec frontend/e2e/ 2>&1 | tee "$HERALD_ARTIFACTS/e2e.log"
rm -rf "$data" "$HOME_E2E"

echo "== end to end against a real GoToSocial: connect, revoke, reconnect; compose and publish"
go test -tags e2e -count=1 -v -timeout 20m ./test/e2e/ 2>&1 | grep -vE '^=== (RUN|PAUSE|CONT)' | tee "$HERALD_ARTIFACTS/e2e-gotosocial.log" | grep -E '^(---|ok|FAIL|PASS)|_test\.go|✔|✖|# (pass|fail)' || true
grep -q '^ok' "$HERALD_ARTIFACTS/e2e-gotosocial.log" || { tail -100 "$HERALD_ARTIFACTS/e2e-gotosocial.log"; exit 1; }
