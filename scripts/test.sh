#!/usr/bin/env bash
# Runs every test of the SDK on a Debian machine, installing first what the
# tests need and the machine lacks: Debian's Chromium for the browser test
# and redis-server, which the fleet tests start on free loopback ports.
#
#   scripts/test.sh            vet, the tests with the race detector, and a
#                              short run of every fuzz target
#   FUZZTIME=2m scripts/test.sh   fuzz longer per target
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing from Debian: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi

export ARTIFACTS_DIR="${ARTIFACTS_DIR:-$PWD/artifacts/screenshots}"
mkdir -p "$ARTIFACTS_DIR"

echo "== go vet"
go vet ./...

echo "== go test (race detector on; committed fuzz corpora run as tests)"
go test -race -count=1 ./...

echo "== fuzz targets, ${FUZZTIME:=10s} each"
grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r file; do
  pkg="./$(dirname "${file#./}")"
  for target in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$file" | cut -d' ' -f2); do
    echo "-- $pkg $target"
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" "$pkg" >/tmp/fuzz.$$ 2>&1 ||
      { cat /tmp/fuzz.$$; rm -f /tmp/fuzz.$$; exit 1; }
    tail -n 1 /tmp/fuzz.$$
  done
done
rm -f /tmp/fuzz.$$
echo "screenshots of the demo: $ARTIFACTS_DIR"
