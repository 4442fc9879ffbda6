#!/usr/bin/env bash
# Runs every test of the portal on a fresh Debian machine (the README's test command; .ci/run calls it).
# Installs what is missing, builds once, runs each test project in turn, stops whatever it started,
# and ends with one line: "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '\n==> %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

started_pids=()
cleanup() {
  # Later engines (Docker, PostgreSQL, Redis) register their pids here; stop exactly what we started.
  for pid in "${started_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (see README.md)." >&2; exit 1; }

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v fc-list >/dev/null && fc-list | grep -qi "dejavu\|liberation" || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  log "Installing ${missing[*]} with apt-get"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ -x /usr/lib/chromium/chromium ]; then export PORTAL_CHROMIUM=/usr/lib/chromium/chromium; else export PORTAL_CHROMIUM=$(command -v chromium); fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export PORTAL_TEST_ARTIFACTS="${PORTAL_TEST_ARTIFACTS:-$PWD/artifacts}"
mkdir -p "$PORTAL_TEST_ARTIFACTS"

log "Building"
dotnet build Portal.sln -nologo -v quiet -clp:ErrorsOnly

passed=0 failed=0 skipped=0 status=0
for project in tests/Portal.Tests tests/Portal.Agent.Tests tests/Portal.IntegrationTests tests/Portal.E2ETests; do
  log "Testing $project"
  out="$PORTAL_TEST_ARTIFACTS/$(basename "$project").log"
  set +e
  dotnet test --project "$project" --no-build 2>&1 | tee "$out" | grep -E '^\s*(failed|skipped) |^Test run summary|^\s+(total|failed|succeeded|skipped):|error'
  rc=${PIPESTATUS[0]}
  set -e
  p=$(grep -Eo '^\s+succeeded: [0-9]+' "$out" | grep -Eo '[0-9]+' | tail -1)
  f=$(grep -Eo '^\s+failed: [0-9]+' "$out" | grep -Eo '[0-9]+' | tail -1)
  s=$(grep -Eo '^\s+skipped: [0-9]+' "$out" | grep -Eo '[0-9]+' | tail -1)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0}))
  if [ "$rc" -ne 0 ]; then
    status=1
    [ -n "$f" ] && [ "$f" -gt 0 ] || failed=$((failed + 1))  # a project that failed without a count (crash, build) counts as one failure
    echo "   $project failed (exit $rc); full output: $out"
  fi
done

log "Screenshots and logs: $PORTAL_TEST_ARTIFACTS"
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
