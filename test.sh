#!/usr/bin/env bash
# The one test command (README and CI). On Debian 12 it installs the servers the tests launch when
# they are missing (moto, a Python package, through pip when PyPI is reachable), builds the
# solution in Release, runs every tests/*Tests project one at a time, and prints as its very last
# line "N passed, N failed" (CI reads that line). Exits non-zero when anything failed. Installing is
# idempotent: a machine that has everything goes straight to the build.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$PWD
TOOLS=$ROOT/.tools
RESULTS=$ROOT/TestResults
CONSUL_VERSION=1.8.7
DYNALITE_VERSION=4.0.0
APT_PACKAGES=(redis-server etcd-server etcd-client zookeeper)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf 'test.sh: %s\n' "$*"; }
die() { printf 'test.sh: error: %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root to run: $* (run as root or install sudo)"
  fi
}

is_installed() { [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == 'install ok installed' ]]; }

# Packages are installed without starting their system services: the tests start their own servers
# on free ports, and a system redis/etcd/zookeeper would only hold the default ports and memory.
POLICY_RC=/usr/sbin/policy-rc.d
remove_policy_rc() { if [ "${POLICY_RC_OURS:-}" = 1 ]; then as_root rm -f "$POLICY_RC"; fi; }
trap remove_policy_rc EXIT

install_apt_packages() {
  local missing=() package
  for package in "${APT_PACKAGES[@]}"; do is_installed "$package" || missing+=("$package"); done
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  [ ${#missing[@]} -eq 0 ] && return
  command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get: install them with your package manager"
  say "installing ${missing[*]} with apt-get"
  if [ ! -e "$POLICY_RC" ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$POLICY_RC" >/dev/null
    as_root chmod 755 "$POLICY_RC"
    POLICY_RC_OURS=1
  fi
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  remove_policy_rc
  POLICY_RC_OURS=
}

# The Debian mirror this machine's apt already uses (it may be a local mirror or a snapshot), so
# bullseye is fetched from the same place; deb.debian.org when none is configured.
debian_mirror() {
  local uri
  uri=$(grep -hsE '^[[:space:]]*(URIs:|deb[[:space:]])' /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources \
    | grep -oE '(https?|ftp)://[^[:space:]]+' | grep -v -e security -e nodesource -e google | grep -m1 debian || true)
  printf '%s\n' "${uri:-http://deb.debian.org/debian}"
}

# Reads the whole output before matching: 'consul version | grep -q' can kill consul with SIGPIPE, which
# pipefail turns into a failure.
has_consul_version() {
  local output
  output=$("$1" version 2>/dev/null) || return 1
  [[ $output == *"Consul v$CONSUL_VERSION"* ]]
}

# Consul 1.8.7 is in Debian bullseye, not bookworm: fetch bullseye's package with a private apt
# configuration (its own sources list, package lists and cache under .tools, so the system's apt
# state is untouched) and unpack it without installing it.
install_consul() {
  local consul=$TOOLS/consul/usr/bin/consul
  if [ -x "$consul" ] && has_consul_version "$consul"; then return; fi
  local apt_dir=$TOOLS/apt-bullseye keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  [ -f "$keyring" ] || die "$keyring is missing: apt-get install debian-archive-keyring"
  say "fetching consul $CONSUL_VERSION from Debian bullseye into .tools/consul"
  rm -rf "$apt_dir"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/download"
  printf 'deb [signed-by=%s] %s bullseye main\n' "$keyring" "$(debian_mirror)" >"$apt_dir/sources.list"
  local options=(
    -o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o Dir::Etc::sourceparts=-
    -o "Dir::State::Lists=$apt_dir/lists" -o APT::Get::List-Cleanup=0
    -o "Dir::Cache=$apt_dir/cache" -o APT::Sandbox::User=root
    -o Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false
  )
  apt-get "${options[@]}" -qq update
  (cd "$apt_dir/download" && apt-get "${options[@]}" -qq download consul)
  rm -rf "$TOOLS/consul"
  dpkg -x "$apt_dir"/download/consul_*.deb "$TOOLS/consul"
  rm -rf "$apt_dir"
  has_consul_version "$consul" \
    || die "$consul does not report version $CONSUL_VERSION: $("$consul" version 2>&1 || true)"
}

# dynalite (a DynamoDB-compatible server) from npm, into a folder of its own.
install_dynalite() {
  [ -f "$TOOLS/dynalite/node_modules/dynalite/cli.js" ] && return
  say "installing dynalite $DYNALITE_VERSION from npm into .tools/dynalite"
  npm install --prefix "$TOOLS/dynalite" --no-audit --no-fund --loglevel=error "dynalite@$DYNALITE_VERSION" >/dev/null
}

# moto (a second DynamoDB server, with TransactWriteItems) is a Python package. Machines of this kind ship it; elsewhere
# pip tries PyPI, which may be unreachable. Still missing, only the tests that need it fail, each naming the install step.
check_moto() {
  command -v python3 >/dev/null || return 0
  python3 -c 'import moto.server' 2>/dev/null && return
  timeout 300 python3 -m pip install --quiet --disable-pip-version-check 'moto[server]' >/dev/null 2>&1 || true
  python3 -c 'import moto.server' 2>/dev/null && return
  printf "test.sh: warning: python3 cannot import moto.server and pip could not install it (pip install 'moto[server]'); the DynamoDB tests that run on moto will fail\n" >&2
}

# Reads one attribute of a trx file's <Counters> element (0 when absent).
trx_counter() {
  local value
  value=$(grep -o '<Counters [^>]*' "$1" | grep -oE "[[:space:]]$2=\"[0-9]+\"" | grep -oE '[0-9]+' || true)
  printf '%s\n' "${value:-0}"
}

command -v dotnet >/dev/null || die "the .NET SDK is not on PATH: install .NET 10 (https://dot.net)"
install_apt_packages
mkdir -p "$TOOLS"
install_consul
install_dynalite
check_moto

passed=0
failed=0
say "building Valkeyrie.sln (Release)"
if ! dotnet build Valkeyrie.sln -c Release -nologo -clp:ErrorsOnly; then
  say "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

rm -rf "$RESULTS"
mkdir -p "$RESULTS"

# Every package, packed once from the build above into a local feed at a version unique to this run:
# tests/Valkeyrie.Packaging.Tests inspects it and scripts/websample-check.sh builds the web sample from it.
PACKAGES=$ROOT/artifacts/packages
rm -rf "$PACKAGES"
say "packing every package into artifacts/packages (scripts/pack.sh)"
if VALKEYRIE_PACKAGE_VERSION=$(scripts/pack.sh "$PACKAGES" --no-build | tail -n 1); then
  export VALKEYRIE_PACKAGES=$PACKAGES VALKEYRIE_PACKAGE_VERSION
else
  say "pack failed"; failed=$((failed + 1))
fi
shopt -s nullglob
projects=(tests/*Tests/*.csproj)
for project in "${projects[@]}"; do
  name=$(basename "$project" .csproj)
  # Projects added under tests/ but not yet to the solution still run.
  if ! grep -qF "$(basename "$project")" Valkeyrie.sln; then
    say "building $name (not in Valkeyrie.sln)"
    if ! dotnet build "$project" -c Release -nologo -clp:ErrorsOnly; then
      failed=$((failed + 1))
      continue
    fi
  fi

  say "testing $name"
  status=0
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS" --blame-hang-timeout 10m || status=$?
  trx=$RESULTS/$name.trx
  if [ ! -f "$trx" ]; then
    say "$name produced no results (exit code $status); counted as 1 failed"
    failed=$((failed + 1))
    continue
  fi

  project_passed=$(trx_counter "$trx" passed)
  project_failed=0
  for counter in failed error timeout aborted disconnected; do
    project_failed=$((project_failed + $(trx_counter "$trx" "$counter")))
  done
  # A crashed or hung test host can leave a trx without failures; the exit code still tells.
  if [ "$status" -ne 0 ] && [ "$project_failed" -eq 0 ]; then project_failed=1; fi
  say "$name: $project_passed passed, $project_failed failed"
  passed=$((passed + project_passed))
  failed=$((failed + project_failed))
done
[ ${#projects[@]} -gt 0 ] || { say "no test projects under tests/*Tests"; failed=$((failed + 1)); }

# Native AOT publish of a small app using a generated section: no trim/AOT warning from Valkeyrie or
# generated code, and the binary round-trips every generated path. Counted as one test.
say "checking Native AOT (scripts/aot-check.sh)"
# The AOT app also opens every backend by connection string against real servers, serves a value and reloads it.
if scripts/aot-check.sh; then passed=$((passed + 1)); else say "aot-check failed"; failed=$((failed + 1)); fi

# The web sample built from the packed packages, on a real Redis: reload, outage, recovery, each logged once. One test.
say "checking the web sample on the packages (scripts/websample-check.sh)"
if scripts/websample-check.sh; then passed=$((passed + 1)); else say "websample-check failed"; failed=$((failed + 1)); fi

# Benchmarks are not tests: the smoke mode only proves every benchmark still builds and runs (no timing asserted).
say "benchmark smoke run"; if dotnet run -c Release --project benchmarks/Valkeyrie.Benchmarks -- --smoke >"$RESULTS/benchmarks-smoke.log" 2>&1; then passed=$((passed + 1)); else say "benchmark smoke failed: see $RESULTS/benchmarks-smoke.log"; failed=$((failed + 1)); fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
