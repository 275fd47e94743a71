#!/usr/bin/env bash
# Packs every package of Valkeyrie.sln (with .snupkg symbols) into a folder, at a version unique to this run
# (VersionPrefix from Directory.Build.props plus a "local.<time>" suffix), so a restore never picks a stale copy from
# the NuGet cache. Prints the version on its last line.
# Usage: scripts/pack.sh OUTPUT_DIR [--no-build]   (--no-build: pack what `dotnet build -c Release` already built)
set -euo pipefail
cd "$(dirname "$0")/.."
output=${1:?usage: scripts/pack.sh OUTPUT_DIR [--no-build]}
shift
prefix=$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' Directory.Build.props)
suffix="local.$(date +%Y%m%d%H%M%S)"
mkdir -p "$output"
dotnet pack Valkeyrie.sln -c Release -nologo -clp:ErrorsOnly -o "$output" -p:VersionSuffix="$suffix" "$@" >&2
echo "$prefix-$suffix"
