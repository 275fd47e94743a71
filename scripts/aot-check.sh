#!/usr/bin/env bash
# Publishes tests/Valkeyrie.AotSmoke (PublishAot=true in its project) with Native AOT (linux-x64), fails if the publish reports any trim or AOT
# warning (IL2xxx/IL3xxx) from Valkeyrie or generated code, then runs the binary, which checks every generated path.
# Usage: scripts/aot-check.sh   (prints the elapsed time; exit code 0 on success)
set -euo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log="$work/publish.log"
start=$(date +%s)

# Warnings are not errors here so that every one of them reaches the log and is reported at once.
if ! dotnet publish tests/Valkeyrie.AotSmoke/Valkeyrie.AotSmoke.csproj -c Release -r linux-x64 \
    -p:TreatWarningsAsErrors=false -o "$work/bin" >"$log" 2>&1; then
  cat "$log"
  echo "aot-check: publish failed"
  exit 1
fi

trim_warnings=$(grep -E "(warning|error) IL[0-9]+" "$log" | sort -u || true)
ours=$(printf '%s\n' "$trim_warnings" | grep -E "Valkeyrie|\.g\.cs" || true)
others=$(printf '%s\n' "$trim_warnings" | grep -vE "Valkeyrie|\.g\.cs" | grep -v '^$' || true)
if [ -n "$others" ]; then
  echo "aot-check: trim/AOT warnings from other assemblies (not failing):"
  printf '%s\n' "$others"
fi
if [ -n "$ours" ]; then
  echo "aot-check: trim/AOT warnings from Valkeyrie or generated code:"
  printf '%s\n' "$ours"
  exit 1
fi

"$work/bin/Valkeyrie.AotSmoke"
echo "aot-check: OK in $(( $(date +%s) - start )) s"
