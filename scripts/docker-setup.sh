#!/usr/bin/env bash
# `make test` (and CI) run the docker sandbox backend's tests too: this makes sure a Docker engine
# is reachable and the sandbox image exists. Installing docker.io and starting dockerd need root
# (or passwordless sudo); without either, it says so and the docker tests skip with the same hint.
# The image is built locally (no registry) from .venv and this machine's toolchains, once;
# `make sandbox-image` rebuilds it after toolchains change.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
VENV="${VENV:-.venv}"

if [ "$(id -u)" -eq 0 ]; then sudo=(); elif sudo -n true 2>/dev/null; then sudo=(sudo -n); else sudo=(none); fi
needs_root() {
  cat >&2 <<MSG
docker-setup: $1
docker-setup: installing docker.io and starting dockerd need root. Run once: sudo make docker-setup
docker-setup: (or start Docker yourself and join the docker group). Until then the docker sandbox
docker-setup: tests skip ("no Docker engine reachable"); everything else runs.
MSG
  exit 0
}

if ! docker info >/dev/null 2>&1; then
  if ! command -v dockerd >/dev/null; then
    [ "${sudo[0]:-}" = none ] && needs_root "the Docker engine (docker.io) is not installed."
    command -v apt-get >/dev/null || { echo "docker-setup: no apt-get; install Docker yourself" >&2; exit 1; }
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends docker.io
  fi
  [ "${sudo[0]:-}" = none ] && needs_root "no Docker engine is reachable."
  if [ -d /run/systemd/system ]; then
    "${sudo[@]}" systemctl start docker
  else
    "${sudo[@]}" nohup dockerd >/tmp/dockerd.log 2>&1 &
  fi
  for _ in $(seq 60); do "${sudo[@]}" docker info >/dev/null 2>&1 && break; sleep 1; done
  if ! "${sudo[@]}" docker info >/dev/null 2>&1; then
    echo "docker-setup: dockerd did not come up; its log (/tmp/dockerd.log):" >&2
    tail -n 50 /tmp/dockerd.log >&2 || true
    exit 1
  fi
  docker info >/dev/null 2>&1 || needs_root "dockerd runs, but $(id -un) may not use it (sudo usermod -aG docker $(id -un), then log in again)."
fi

image=$("$VENV/bin/python" -c "from coderforge.sandbox import SandboxConfig; print(SandboxConfig().docker_image)")
if ! docker image inspect "$image" >/dev/null 2>&1; then
  echo "docker-setup: building $image (about a minute)"
  VENV="$VENV" scripts/docker-image.sh
fi
