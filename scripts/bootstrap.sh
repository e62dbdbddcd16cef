#!/bin/sh
# Installs whatever netbench needs and is missing, then builds. Safe and fast to run again:
# every step checks first and does nothing when its result is already current.
#   - Debian packages listed in scripts/debian-packages.txt (apt-get, needs root)
#   - npm dependencies (npm ci, when package-lock.json changed since the last install)
#   - the TypeScript build (when a source file is newer than the last build)
#   - BPF objects (bpf/build.sh, when present)
set -eu
cd "$(dirname "$0")/.."
say() { printf 'bootstrap: %s\n' "$*" >&2; }

# Node >= 20.19 (see DEPENDENCIES.md: several libraries need it).
node -e '
  const [maj, min] = process.versions.node.split(".").map(Number);
  if (maj < 20 || (maj === 20 && min < 19)) {
    console.error(`bootstrap: Node ${process.versions.node} is too old; netbench needs >= 20.19`);
    process.exit(1);
  }'

# 1. Debian packages.
missing=""
for pkg in $(grep -v '^[[:space:]]*#' scripts/debian-packages.txt | grep -v '^[[:space:]]*$'); do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  case "$status" in *"install ok installed"*) ;; *) missing="$missing $pkg" ;; esac
done
# kubectl (for checking generated manifests and kubectl dumps): Debian's kubernetes-client, unless
# a kubectl from another package is already installed (the two packages both own /usr/bin/kubectl).
if ! command -v kubectl >/dev/null 2>&1; then
  status=$(dpkg-query -W -f='${Status}' kubernetes-client 2>/dev/null || true)
  case "$status" in *"install ok installed"*) ;; *) missing="$missing kubernetes-client" ;; esac
fi
if [ -n "$missing" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    say "installing Debian packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >&2
  else
    say "missing Debian packages:$missing"
    say "run this script as root to install them (the lab needs root anyway); continuing without them"
  fi
fi

# 2. npm dependencies.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.netbench-lock-sha256
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$lock_hash" > "$stamp"
fi

# 3. TypeScript build.
build_stamp=dist/.build-stamp
if [ ! -f "$build_stamp" ] || [ -n "$(find src package-lock.json tsconfig.json tsconfig.build.json -newer "$build_stamp" -print 2>/dev/null | head -n 1)" ]; then
  say "building (tsc)"
  npx --no-install tsc -p tsconfig.build.json
  touch "$build_stamp"
fi

# 4. BPF objects for the eBPF datapath.
if [ -f bpf/build.sh ]; then
  sh bpf/build.sh
fi
