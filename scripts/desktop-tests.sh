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

echo "== Playwright in Chromium against the real Go bindings; accessibility (axe) on an empty, a filled and a damaged database"
port=${HERALD_E2E_PORT:-34115}
data=$(mktemp -d)
filled=$(mktemp -d)
damaged=$(mktemp -d)
HOME_E2E=$(mktemp -d)
go run ./test/load -data "$filled" -posts 400 -channels 8 -years 1 -mixed >"$HERALD_ARTIFACTS/e2e-load.log" 2>&1 || { cat "$HERALD_ARTIFACTS/e2e-load.log"; exit 1; }
# Not a SQLite file: Herald starts in recovery mode.
printf 'damaged %.0s' $(seq 1 1000) >"$damaged/herald.db"
# Each instance gets a home of its own, as the first one always had: nothing of the developer's is read.
start_dev() { # folder port log
  mkdir -p "$HOME_E2E/$2"
  HOME=$HOME_E2E/$2 HERALD_DATA_DIR=$1 "$HERALD_DEV_BIN" -assetdir frontend/dist -devserver "127.0.0.1:$2" >"$HERALD_ARTIFACTS/$3" 2>&1 &
  pids+=($!)
}
start_dev "$data" "$port" e2e-app.log
start_dev "$filled" "$((port + 1))" e2e-app-filled.log
start_dev "$damaged" "$((port + 2))" e2e-app-damaged.log
for p in "$port" "$((port + 1))" "$((port + 2))"; do
  for _ in $(seq 1 90); do
    curl -sf -o /dev/null "http://127.0.0.1:$p/" && break
    sleep 1
  done
  curl -sf -o /dev/null "http://127.0.0.1:$p/" || {
    echo "the dev server on $p did not come up"
    cat "$HERALD_ARTIFACTS"/e2e-app*.log
    # Herald's own logs say how far each instance got.
    for d in "$data" "$filled" "$damaged"; do
      for f in "$d"/logs/*; do [ -f "$f" ] && { echo "== $f"; tail -40 "$f"; }; done
    done
    exit 1
  }
done
HERALD_E2E_URL="http://127.0.0.1:$port/" HERALD_E2E_DATA_DIR=$data \
HERALD_E2E_FILLED_URL="http://127.0.0.1:$((port + 1))/" HERALD_E2E_DAMAGED_URL="http://127.0.0.1:$((port + 2))/" \
HERALD_E2E_SCHEMA_VERSION=$(go run ./scripts/schemaversion) HERALD_E2E_ARTIFACTS=$HERALD_ARTIFACTS \
  node --test --test-reporter=spec frontend/e2e/ 2>&1 | tee "$HERALD_ARTIFACTS/e2e.log"
rm -rf "$data" "$filled" "$damaged" "$HOME_E2E"

echo "== end to end against a real GoToSocial: connect, revoke, reconnect; compose and publish"
go test -tags e2e -count=1 -v -timeout 20m ./test/e2e/ 2>&1 | grep -vE '^=== (RUN|PAUSE|CONT)' | tee "$HERALD_ARTIFACTS/e2e-gotosocial.log" | grep -E '^(---|ok|FAIL|PASS)|_test\.go|✔|✖|# (pass|fail)' || true
grep -q '^ok' "$HERALD_ARTIFACTS/e2e-gotosocial.log" || { tail -100 "$HERALD_ARTIFACTS/e2e-gotosocial.log"; exit 1; }
