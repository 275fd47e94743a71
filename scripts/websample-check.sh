#!/usr/bin/env bash
# Builds samples/Valkeyrie.WebSample from the packed packages (a local feed, as a newcomer's app would), installs the
# valkeyrie tool from the same feed, starts a real Redis with a password, runs the app against it and checks:
# the typed section is served; a change reloads; with Redis stopped /health turns 503 and the last good values are
# still served; after a restart /health is 200 again and a change made after recovery arrives; the captured log shows
# the outage (event 30) and the recovery (event 31) exactly once each, no stack trace and no password.
# Usage: scripts/websample-check.sh   (VALKEYRIE_PACKAGES=DIR VALKEYRIE_PACKAGE_VERSION=V reuse a feed made by scripts/pack.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source scripts/lib/processes.sh
start=$(date +%s)
fail() { echo "websample-check: $*"; [ -f "$work/app.log" ] && { echo "--- app log (tail)"; tail -n 40 "$work/app.log"; }; exit 1; }
command -v redis-server >/dev/null || fail "redis-server is missing: apt-get install redis-server (or run ./test.sh)"

feed=${VALKEYRIE_PACKAGES:-}
version=${VALKEYRIE_PACKAGE_VERSION:-}
if [ -z "$feed" ] || [ -z "$version" ]; then
  feed=$work/feed
  version=$(scripts/pack.sh "$feed" | tail -n 1) || fail "packing failed"
fi
cat >"$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="valkeyrie-local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
XML

# --- Redis, with a password the app's connection string carries and the log must never show -------------------
redis_port=$(free_port); password="web-$RANDOM$RANDOM"
start_redis() {
  redis-server --port "$redis_port" --bind 127.0.0.1 --requirepass "$password" --dir "$work" --appendonly yes \
    --save '' >>"$work/redis.log" 2>&1 & redis_pid=$!; pids+=("$redis_pid")
  local deadline=$(( $(date +%s) + 60 ))
  until redis-cli -p "$redis_port" -a "$password" --no-auth-warning ping 2>/dev/null | grep -q PONG; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "redis-server did not start"; sleep 0.2
  done
}
start_redis
store="redis://127.0.0.1:$redis_port?password=$password"

# --- the app and the tool, from the packages --------------------------------------------------------------------
project=samples/Valkeyrie.WebSample/Valkeyrie.WebSample.csproj
dotnet restore "$project" --configfile "$work/nuget.config" -p:ValkeyriePackageVersion="$version" -nologo >"$work/build.log" 2>&1 \
  || { cat "$work/build.log"; fail "restore from the packages failed"; }
dotnet build "$project" -c Release --no-restore -nologo -clp:ErrorsOnly -p:ValkeyriePackageVersion="$version" -o "$work/app" >>"$work/build.log" 2>&1 \
  || { cat "$work/build.log"; fail "build from the packages failed"; }
grep -q "valkeyrie.configuration/$version" samples/Valkeyrie.WebSample/obj/project.assets.json -i \
  || fail "the sample did not restore Valkeyrie.Configuration $version from the local feed"
dotnet tool install Valkeyrie.Cli --tool-path "$work/tool" --version "$version" --configfile "$work/nuget.config" >>"$work/build.log" 2>&1 \
  || { cat "$work/build.log"; fail "dotnet tool install Valkeyrie.Cli from the packages failed"; }
cli() { VALKEYRIE_STORE="$store" "$work/tool/valkeyrie" "$@"; }

cli put sample/greeting/message "hello v1" || fail "valkeyrie put failed"
cli put sample/greeting/revision 1 || fail "valkeyrie put failed"

app_port=$(free_port); url="http://127.0.0.1:$app_port"
ConnectionStrings__Valkeyrie="$store" ASPNETCORE_URLS="$url" Logging__Console__FormatterName=simple \
  dotnet "$work/app/Valkeyrie.WebSample.dll" >"$work/app.log" 2>&1 & app_pid=$!; pids+=("$app_pid")

# Waits up to 60 s (the machine is shared) for "$2" to print something matching "$3".
await() {
  local what=$1 deadline=$(( $(date +%s) + 60 ))
  until "${@:2:$#-2}" 2>/dev/null | grep -q -- "${@: -1}"; do
    kill -0 "$app_pid" 2>/dev/null || fail "the app exited while waiting for $what"
    [ "$(date +%s)" -lt "$deadline" ] || fail "timed out waiting for $what"
    sleep 0.2
  done
  echo "websample-check: $what"
}
status() { curl -s -o /dev/null -w '%{http_code}' "$url/health"; }

await "started and healthy" status 200
await "served the typed section" curl -s "$url/greeting" '"message":"hello v1"'
cli put sample/greeting/message "hello v2" >/dev/null
await "reloaded a change" curl -s "$url/greeting" '"message":"hello v2"'

kill "$redis_pid"; wait "$redis_pid" 2>/dev/null || true
await "reported the outage (503)" status 503
curl -s "$url/greeting" | grep -q '"message":"hello v2"' || fail "the last good values were not served during the outage"
status >/dev/null; status >/dev/null   # more polls: the log must still show the outage once

start_redis
await "healthy again after recovery" status 200
cli put sample/greeting/message "hello v3" >/dev/null
await "received a change after recovery" curl -s "$url/greeting" '"message":"hello v3"'
await "exported Valkeyrie metrics" curl -s "$url/metrics" 'valkeyrie_configuration'

kill -TERM "$app_pid"; wait "$app_pid" 2>/dev/null || true
log=$work/app.log
outages=$(grep -c 'ValkeyrieConfigurationProvider\[30\]' "$log" || true)
recoveries=$(grep -c 'ValkeyrieConfigurationProvider\[31\]' "$log" || true)
loads=$(grep -c 'ValkeyrieConfigurationProvider\[1\]' "$log" || true)
[ "$loads" -eq 1 ] || fail "the log shows the first load $loads times, expected once"
[ "$outages" -eq 1 ] || fail "the log shows the outage $outages times, expected once"
[ "$recoveries" -eq 1 ] || fail "the log shows the recovery $recoveries times, expected once"
if grep -q '^ *at ' "$log"; then fail "the log has a stack trace"; fi
if grep -qF "$password" "$log"; then fail "the log shows the Redis password"; fi
echo "--- the app's Valkeyrie log lines"
grep -A1 'ValkeyrieConfigurationProvider\[' "$log" | grep -v '^--$' || true
echo "websample-check: OK in $(( $(date +%s) - start )) s (packages $version)"
