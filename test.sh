#!/usr/bin/env bash
# Runs every test of the portal on a fresh Debian machine (the README's test command; .ci/run calls it).
# Installs what is missing, builds once, runs each test project in turn, stops whatever it started,
# and ends with one line: "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '\n==> %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

started_pids=()
started_pidfiles=()
started_dirs=()
cleanup() {
  # Engines we started register their pids (or pid files) here; stop exactly what we started, and wait for it.
  for file in "${started_pidfiles[@]}"; do [ -f "$file" ] && started_pids+=("$(cat "$file")"); done
  for pid in "${started_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${started_pids[@]}"; do for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done; done
  for dir in "${started_dirs[@]}"; do as_root rm -rf "$dir"; done
}
trap cleanup EXIT

command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (see README.md)." >&2; exit 1; }

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v dockerd >/dev/null || missing+=(docker.io)
[ -x /usr/bin/busybox ] && /usr/bin/busybox --list 2>/dev/null | grep -qx httpd || missing+=(busybox-static)
command -v fc-list >/dev/null && fc-list | grep -qi "dejavu\|liberation" || missing+=(fonts-dejavu-core)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v docker-registry >/dev/null || missing+=(docker-registry)
command -v htpasswd >/dev/null || missing+=(apache2-utils)
/usr/bin/python3 -c 'import onnx' 2>/dev/null || missing+=(python3-onnx)  # builds hostile and every-type test models
# A real Modbus TCP server for the connector tests (each test class starts its own on a free 127.0.0.1 port).
/usr/bin/python3 -c 'import pymodbus' 2>/dev/null || missing+=(python3-pymodbus python3-serial python3-serial-asyncio)
# A real MQTT broker for the connector tests (each test class starts its own with its own config file; no system service).
[ -x /usr/sbin/mosquitto ] && command -v mosquitto_passwd >/dev/null || missing+=(mosquitto mosquitto-clients)
# A real SMTP server for the notification and alert tests (aiosmtpd; each test class starts its own on a free 127.0.0.1 port).
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || missing+=(python3-aiosmtpd)
if [ ${#missing[@]} -gt 0 ]; then
  log "Installing ${missing[*]} with apt-get"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ -x /usr/lib/chromium/chromium ]; then export PORTAL_CHROMIUM=/usr/lib/chromium/chromium; else export PORTAL_CHROMIUM=$(command -v chromium); fi

# A private Docker engine, exactly as MACHINE-NOTES.md says: no bridge network, no iptables, so containers can only
# use host networking (bound to 127.0.0.1) and no traffic leaves the machine. Stopped by its pid at the end.
start_docker() {
  local run=/run/portal-test
  export PORTAL_TEST_DOCKER="unix://$run/docker.sock"
  if [ -S "$run/docker.sock" ] && docker -H "$PORTAL_TEST_DOCKER" version >/dev/null 2>&1; then
    log "Using the private Docker engine already running at $PORTAL_TEST_DOCKER"
  else
    log "Starting a private Docker engine at $PORTAL_TEST_DOCKER"
    as_root mkdir -p "$run"
    as_root dockerd --host "$PORTAL_TEST_DOCKER" --data-root /var/lib/portal-test-docker --exec-root "$run/exec" \
      --pidfile "$run/dockerd.pid" --bridge=none --iptables=false --ip-masq=false >"$PORTAL_TEST_ARTIFACTS/dockerd.log" 2>&1 &
    started_pidfiles+=("$run/dockerd.pid")
    for _ in $(seq 1 60); do docker -H "$PORTAL_TEST_DOCKER" version >/dev/null 2>&1 && break; sleep 0.5; done
    docker -H "$PORTAL_TEST_DOCKER" version >/dev/null || { echo "The Docker engine did not start; see $PORTAL_TEST_ARTIFACTS/dockerd.log" >&2; exit 1; }
  fi
  if ! docker -H "$PORTAL_TEST_DOCKER" image inspect local/busybox:1 >/dev/null 2>&1; then
    # A busybox root file system made locally: no test needs a registry.
    local rootfs; rootfs=$(mktemp -d)
    mkdir -p "$rootfs/bin" "$rootfs/tmp" "$rootfs/www"
    cp /usr/bin/busybox "$rootfs/bin/busybox"
    for applet in $(/usr/bin/busybox --list); do [ "$applet" = busybox ] || ln -s busybox "$rootfs/bin/$applet"; done
    tar -C "$rootfs" -c . | docker -H "$PORTAL_TEST_DOCKER" import -c 'CMD ["/bin/sh"]' - local/busybox:1 >/dev/null
    rm -rf "$rootfs"
  fi
  # Containers left by an interrupted earlier run carry the agents' label; nothing else is touched.
  docker -H "$PORTAL_TEST_DOCKER" ps -aq --filter label=io.edgeportal.agent | xargs -r docker -H "$PORTAL_TEST_DOCKER" rm -f >/dev/null
}

# A loopback port nothing listens on (bash only: /dev/tcp fails to connect to a free port).
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 30000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# Private PostgreSQL and Redis servers for the scale-out tests: free loopback ports, data in a temporary folder,
# stopped by pid at the end. Debian's own instances (if apt-get started them) are left alone.
start_postgres() {
  local bin; bin=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
  local port; port=$(free_port)
  local dir; dir=$(mktemp -d /tmp/portal-test-pg.XXXXXX)
  # PostgreSQL refuses to run as root: its own user owns the folder and runs the server.
  as_root chown postgres:postgres "$dir"
  log "Starting a private PostgreSQL on 127.0.0.1:$port (data in $dir)"
  as_root runuser -u postgres -- "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 >"$PORTAL_TEST_ARTIFACTS/postgres-init.log" 2>&1
  as_root runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null
  started_pids+=("$(head -1 "$dir/data/postmaster.pid")")
  started_dirs+=("$dir")
  export PORTAL_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres"
}

start_redis() {
  local port; port=$(free_port)
  local dir; dir=$(mktemp -d /tmp/portal-test-redis.XXXXXX)
  log "Starting a private Redis on 127.0.0.1:$port"
  redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --save '' --appendonly no --protected-mode yes \
    >"$PORTAL_TEST_ARTIFACTS/redis.log" 2>&1 &
  started_pids+=("$!")
  started_dirs+=("$dir")
  for _ in $(seq 1 40); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.25; done
  export PORTAL_TEST_REDIS="127.0.0.1:$port"
}

# A private container registry (Debian's docker-registry, the Distribution registry) with htpasswd (bcrypt) users, on
# a free loopback port: the engine pulls from 127.0.0.0/8 over plain HTTP. A system instance apt may have started is
# left alone. Stopped by pid at the end.
start_registry() {
  local port; port=$(free_port)
  local dir; dir=$(mktemp -d /tmp/portal-test-registry.XXXXXX)
  local password; password="reg-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  htpasswd -Bbn portal-test "$password" >"$dir/htpasswd" 2>/dev/null
  cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/data
http:
  addr: 127.0.0.1:$port
auth:
  htpasswd:
    realm: portal-test
    path: $dir/htpasswd
YAML
  log "Starting a private container registry on 127.0.0.1:$port"
  docker-registry serve "$dir/config.yml" >"$PORTAL_TEST_ARTIFACTS/registry.log" 2>&1 &
  started_pids+=("$!")
  started_dirs+=("$dir")
  for _ in $(seq 1 40); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.25; done
  export PORTAL_TEST_REGISTRY="127.0.0.1:$port" PORTAL_TEST_REGISTRY_USER=portal-test PORTAL_TEST_REGISTRY_PASSWORD="$password"
}

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export PORTAL_TEST_ARTIFACTS="${PORTAL_TEST_ARTIFACTS:-$PWD/artifacts}"
mkdir -p "$PORTAL_TEST_ARTIFACTS"

start_docker
start_postgres
start_redis
start_registry

log "Building"
dotnet build Portal.sln -nologo -v quiet -clp:ErrorsOnly

passed=0 failed=0 skipped=0 status=0
# The integration tests run twice: on SQLite (the default) and on PostgreSQL (PORTAL_TEST_DATABASE=Postgres).
for run in tests/Portal.Tests tests/Portal.Agent.Tests tests/Portal.IntegrationTests tests/Portal.IntegrationTests:Postgres tests/Portal.E2ETests; do
  project=${run%%:*}
  database=$([ "$run" = "$project" ] && echo Sqlite || echo "${run#*:}")
  label=$([ "$database" = Sqlite ] && echo "$project" || echo "$project on $database")
  log "Testing $label"
  out="$PORTAL_TEST_ARTIFACTS/$(basename "$project")$([ "$database" = Sqlite ] || echo ".$database").log"
  set +e
  PORTAL_TEST_DATABASE=$database dotnet test --project "$project" --no-build 2>&1 | tee "$out" | grep -E '^\s*(failed|skipped) |^Test run summary|^\s+(total|failed|succeeded|skipped):|error\(s\)|error [A-Z]+[0-9]+'
  rc=${PIPESTATUS[0]}
  set -e
  p=$(grep -Eo '^\s+succeeded: [0-9]+' "$out" | grep -Eo '[0-9]+' | tail -1)
  f=$(grep -Eo '^\s+failed: [0-9]+' "$out" | grep -Eo '[0-9]+' | tail -1)
  s=$(grep -Eo '^\s+skipped: [0-9]+' "$out" | grep -Eo '[0-9]+' | tail -1)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0}))
  if [ "$rc" -ne 0 ]; then
    status=1
    [ -n "$f" ] && [ "$f" -gt 0 ] || failed=$((failed + 1))  # a project that failed without a count (crash, build) counts as one failure
    # The failing tests' own messages (the summary above names them only), so a CI log says why without the artifacts.
    awk '/^failed /{n=40} n>0{print "   | " $0; n--}' "$out" | head -200
    echo "   $label failed (exit $rc); full output: $out"
  fi
done

log "Screenshots and logs: $PORTAL_TEST_ARTIFACTS"
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
