#!/bin/sh
# Builds the agent as one self-contained file per architecture, with the version stamped in:
#   Portal.Agent/deploy/publish.sh 0.5.1 [OUT_DIR] [linux-x64 linux-arm64]
# Writes OUT_DIR/<rid>/portal-agent (default OUT_DIR: ./agent-release-<version>). Upload those files as a release on
# the portal's Agent releases page (or POST /api/v1/agent-releases, parts named by architecture).
set -eu
version=${1:?usage: publish.sh VERSION [OUT_DIR] [RID...]}
out=${2:-agent-release-$version}
shift $(( $# < 2 ? $# : 2 ))
rids=${*:-linux-x64 linux-arm64}
project=$(cd "$(dirname "$0")/.." && pwd)/Portal.Agent.csproj
for rid in $rids; do
    # Trimming is off: SignalR, MessagePack and Docker.DotNet use reflection.
    dotnet publish "$project" -c Release -r "$rid" --self-contained -nologo -v q \
        -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:EnableCompressionInSingleFile=true \
        -p:DebugType=none -p:Version="$version" -o "$out/$rid.tmp"
    mkdir -p "$out/$rid"
    mv -f "$out/$rid.tmp/Portal.Agent" "$out/$rid/portal-agent"
    rm -rf "$out/$rid.tmp"
    echo "$out/$rid/portal-agent ($version, $rid)"
done
