#!/bin/sh
# Installs the edge portal's agent on this machine as a systemd service, from the portal itself (README, "Installing
# the agent on a device"). Served by the portal at /install/agent.sh; the launcher and the unit below are the portal's
# own copies. Run as root:
#
#   (umask 077; printf '%s\n' 'enr_...' > /tmp/portal-enroll) && curl -fsSL PORTAL/install/agent.sh | sudo sh -s -- --portal PORTAL --token-file /tmp/portal-enroll
#
# Options: --portal URL (required), --token-file FILE (the enrollment token; the file is moved, so the token is never on
# a command line), --name NAME (default: the host name), --version V (default: the newest release),
# --prefix DIR (install under DIR instead of /, for staging images), --no-start (do not enable or start the service).
set -eu

PORTAL="" TOKEN_FILE="" NAME="" VERSION="" PREFIX="" START=1
while [ $# -gt 0 ]; do
    case "$1" in
        --portal) PORTAL=${2:-}; shift 2 ;;
        --token-file) TOKEN_FILE=${2:-}; shift 2 ;;
        --name) NAME=${2:-}; shift 2 ;;
        --version) VERSION=${2:-}; shift 2 ;;
        --prefix) PREFIX=${2:-}; shift 2 ;;
        --no-start) START=0; shift ;;
        *) echo "install-agent: unknown option $1 (see the comment at the top of this script)" >&2; exit 2 ;;
    esac
done

fail() { echo "install-agent: $*" >&2; exit 1; }
[ -n "$PORTAL" ] || fail "say which portal to join: --portal URL"
[ -n "$TOKEN_FILE" ] && [ -s "$TOKEN_FILE" ] || fail "give the enrollment token in a file: --token-file FILE (the portal's Enrollment tokens page shows the line to run)"
[ -n "$PREFIX" ] || [ "$(id -u)" -eq 0 ] || fail "run as root (sudo sh -s -- ...)"
command -v curl >/dev/null || fail "curl is needed: apt-get install curl"
command -v sha256sum >/dev/null || fail "sha256sum is needed (coreutils)"
PORTAL=${PORTAL%/}

case "$(uname -m)" in
    x86_64|amd64) ARCH=linux-x64 ;;
    aarch64|arm64) ARCH=linux-arm64 ;;
    *) fail "this machine is $(uname -m); agent builds exist for x86_64 and aarch64 only" ;;
esac

HOME_DIR="$PREFIX/opt/portal-agent"
DATA_DIR="$PREFIX/var/lib/portal-agent"
CONFIG_DIR="$PREFIX/etc/portal-agent"
UNIT_DIR="$PREFIX/etc/systemd/system"
[ ! -e "$DATA_DIR/credentials.json" ] || fail "this machine is enrolled already ($DATA_DIR/credentials.json); decommission it in the portal and remove $DATA_DIR to enroll it again"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# The token travels in a header read from a file (curl -H @file): never on a command line.
umask 077
printf 'X-Enrollment-Token: %s\n' "$(head -n 1 "$TOKEN_FILE" | tr -d '\r\n ')" > "$WORK/header"
url="$PORTAL/api/v1/agent/install/$ARCH"
[ -z "$VERSION" ] || url="$url?version=$VERSION"
echo "install-agent: downloading the $ARCH agent from $PORTAL"
code=$(curl -sS -H @"$WORK/header" -D "$WORK/headers" -o "$WORK/portal-agent" -w '%{http_code}' "$url") || fail "could not reach $PORTAL"
if [ "$code" != 200 ]; then
    detail=$(sed -n 's/.*"detail":"\([^"]*\)".*/\1/p' "$WORK/portal-agent")
    fail "the portal refused (HTTP $code): ${detail:-$(head -c 300 "$WORK/portal-agent")}"
fi
header() { sed -n "s/^$1: *//Ip" "$WORK/headers" | tr -d '\r' | tail -n 1; }
VERSION=$(header X-Agent-Version)
SHA=$(header X-Agent-Sha256)
case "$VERSION" in ''|*[!0-9A-Za-z.+-]*) fail "the portal did not say which version it sent" ;; esac
echo "$SHA  $WORK/portal-agent" | sha256sum -c --status - || fail "the download is damaged (its SHA-256 is not $SHA); nothing was installed"

umask 022
mkdir -p "$HOME_DIR/versions/$VERSION" "$HOME_DIR/state" "$UNIT_DIR"
install -m 755 "$WORK/portal-agent" "$HOME_DIR/versions/$VERSION/portal-agent"
cat > "$HOME_DIR/portal-agent-launch" <<'PORTAL_AGENT_LAUNCH'
@@LAUNCHER@@
PORTAL_AGENT_LAUNCH
chmod 755 "$HOME_DIR/portal-agent-launch"
ln -sfn "$HOME_DIR/versions/$VERSION/portal-agent" "$HOME_DIR/current.new" && mv -f "$HOME_DIR/current.new" "$HOME_DIR/current"
cat > "$UNIT_DIR/portal-agent.service" <<'PORTAL_AGENT_UNIT'
@@UNIT@@
PORTAL_AGENT_UNIT

umask 077
mkdir -p "$DATA_DIR" "$CONFIG_DIR"
chmod 700 "$DATA_DIR" "$CONFIG_DIR"
head -n 1 "$TOKEN_FILE" > "$DATA_DIR/enrollment-token"
rm -f "$TOKEN_FILE"
{
    echo "PORTAL_URL=$PORTAL"
    echo "Agent__EnrollmentTokenFile=$DATA_DIR/enrollment-token"
    echo "Agent__Name=${NAME:-$(hostname)}"
} > "$CONFIG_DIR/agent.env"

echo "install-agent: agent $VERSION installed in $HOME_DIR"
if [ "$START" -eq 1 ] && [ -z "$PREFIX" ]; then
    systemctl daemon-reload
    systemctl enable --now portal-agent
    echo "install-agent: started; it enrolls as ${NAME:-$(hostname)}. Follow it with: journalctl -u portal-agent -f"
else
    echo "install-agent: not started (--no-start or --prefix); start it with: systemctl enable --now portal-agent"
fi
