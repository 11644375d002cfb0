#!/usr/bin/env bash
# Installs the Debian packages coderforge's sandbox and tests use, when run as root (or with sudo)
# (zlib1g-dev for its example C files: real code with macros, which the FIM tests sample).
# Otherwise it lists what is missing and how to install it, and carries on.
set -euo pipefail

want=(bubblewrap php-cli golang-go mono-mcs node-typescript zlib1g-dev)
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "system-deps: not a Debian/Ubuntu machine; install these yourself: ${missing[*]}" >&2
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
  echo "system-deps: missing ${missing[*]}; run as root: apt-get install ${missing[*]}" >&2
  exit 0
fi
echo "system-deps: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
