#!/usr/bin/env bash
# Publishes tests/Valkeyrie.AotSmoke (PublishAot=true in its project) with Native AOT (linux-x64), fails if the publish
# reports any trim or AOT warning (IL2xxx/IL3xxx) from Valkeyrie or generated code, then runs the one binary: it checks
# every generated section path, then opens every backend by connection string (Consul, etcd, ZooKeeper, Redis with a
# password, DynamoDB on dynalite, LiteDB) against real servers this script starts on free loopback ports, starts a
# configuration provider on each, serves a value and waits for a reload. The app names no backend type, so this proves
# the generated registration keeps each backend through trimming (docs/store-contract.md, "Connection strings").
# Usage: scripts/aot-check.sh   (prints the elapsed time; exit code 0 on success)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

source scripts/lib/processes.sh
log="$work/publish.log"
start=$(date +%s)

need() { command -v "$1" >/dev/null || { echo "aot-check: $1 is missing: $2"; exit 1; }; }

# Waits up to 90 s for "$@" to succeed; the servers start while the publish runs, so this is usually instant.
wait_for() {
  local name=$1; shift
  local deadline=$(( $(date +%s) + 90 ))
  until "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "aot-check: $name did not become ready; its log:"; tail -n 30 "$work/$name.log" || true; exit 1
    fi
    sleep 0.5
  done
}

need redis-server "apt-get install redis-server (or run ./test.sh, which installs it)"
need etcd "apt-get install etcd-server (or run ./test.sh)"
need java "apt-get install zookeeper (or run ./test.sh)"
need node "apt-get install nodejs (or run ./test.sh)"
consul=$ROOT/.tools/consul/usr/bin/consul
dynalite=$ROOT/.tools/dynalite/node_modules/dynalite/cli.js
[ -x "$consul" ] || { echo "aot-check: $consul is missing: run ./test.sh, which fetches it"; exit 1; }
[ -f "$dynalite" ] || { echo "aot-check: $dynalite is missing: run ./test.sh, which installs it"; exit 1; }

# --- servers, started before the slow publish so they are up when the binary runs -------------------------------
redis_port=$(free_port); redis_password="aot-$RANDOM$RANDOM"
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --requirepass "$redis_password" \
  --dir "$work" >"$work/redis.log" 2>&1 & pids+=($!)

etcd_port=$(free_port); etcd_peer=$(free_port)
etcd --name aot --data-dir "$work/etcd" --listen-client-urls "http://127.0.0.1:$etcd_port" \
  --advertise-client-urls "http://127.0.0.1:$etcd_port" --listen-peer-urls "http://127.0.0.1:$etcd_peer" \
  --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" --initial-cluster "aot=http://127.0.0.1:$etcd_peer" \
  >"$work/etcd.log" 2>&1 & pids+=($!)

zk_port=$(free_port); mkdir -p "$work/zk"
printf 'tickTime=500\ndataDir=%s\nclientPort=%s\nclientPortAddress=127.0.0.1\n4lw.commands.whitelist=*\nadmin.enableServer=false\n' \
  "$work/zk" "$zk_port" >"$work/zoo.cfg"
java -Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Dzookeeper.extendedTypesEnabled=true \
  -cp /usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar org.apache.zookeeper.server.quorum.QuorumPeerMain \
  "$work/zoo.cfg" >"$work/zookeeper.log" 2>&1 & pids+=($!)

consul_port=$(free_port)
cat >"$work/consul.json" <<JSON
{"node_name":"aot","datacenter":"dc1","server":true,"bootstrap_expect":1,"data_dir":"$work/consul",
 "bind_addr":"127.0.0.1","advertise_addr":"127.0.0.1","client_addr":"127.0.0.1","disable_update_check":true,
 "performance":{"raft_multiplier":1},
 "ports":{"http":$consul_port,"https":-1,"dns":-1,"grpc":-1,"serf_lan":$(free_port),"serf_wan":$(free_port),"server":$(free_port)}}
JSON
"$consul" agent -config-file="$work/consul.json" >"$work/consul.log" 2>&1 & pids+=($!)

dynamo_port=$(free_port)
node "$dynalite" --host 127.0.0.1 --port "$dynamo_port" --path "$work/dynalite" --createTableMs 0 \
  >"$work/dynalite.log" 2>&1 & pids+=($!)

# --- publish ---------------------------------------------------------------------------------------------------
# Warnings are not errors here so that every one of them reaches the log and is reported at once.
if ! dotnet publish tests/Valkeyrie.AotSmoke/Valkeyrie.AotSmoke.csproj -c Release -r linux-x64 \
    -p:TreatWarningsAsErrors=false -o "$work/bin" >"$log" 2>&1; then
  cat "$log"
  echo "aot-check: publish failed"
  exit 1
fi
published=$(date +%s)

# The trailing "[…/Valkeyrie.AotSmoke.csproj]" names the project, not the code: strip it before attributing a warning.
trim_warnings=$(grep -E "(warning|error) IL[0-9]+" "$log" | sed -E 's/ \[[^]]*\.csproj\]$//' | sort -u || true)
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

# --- run -------------------------------------------------------------------------------------------------------
wait_for redis redis-cli -p "$redis_port" -a "$redis_password" --no-auth-warning ping
wait_for etcd etcdctl --endpoints "http://127.0.0.1:$etcd_port" endpoint health
wait_for zookeeper bash -c "exec 3<>/dev/tcp/127.0.0.1/$zk_port && printf ruok >&3 && grep -q imok <&3"
wait_for consul bash -c "curl -sf http://127.0.0.1:$consul_port/v1/status/leader | grep -q ':'"
wait_for dynalite curl -s "http://127.0.0.1:$dynamo_port/"

output="$work/run.log"
status=0
"$work/bin/Valkeyrie.AotSmoke" \
  "consul://127.0.0.1:$consul_port" \
  "etcd://127.0.0.1:$etcd_port" \
  "zookeeper://127.0.0.1:$zk_port" \
  "redis://127.0.0.1:$redis_port?password=$redis_password" \
  "dynamodb://?table=aot&createTable=true&serviceUrl=http://127.0.0.1:$dynamo_port&region=us-east-1&accessKey=aot&secretKey=aot" \
  "litedb:$work/aot.db" >"$output" 2>&1 || status=$?
cat "$output"
if grep -qF "$redis_password" "$output"; then
  echo "aot-check: the output shows the Redis password"
  exit 1
fi
[ "$status" -eq 0 ] || { echo "aot-check: the AOT app failed (exit code $status)"; exit 1; }
echo "aot-check: OK in $(( $(date +%s) - start )) s (publish $(( published - start )) s)"
