#!/usr/bin/env bash
# CI: make the docker sandbox backend testable: install the engine (docker.io), start dockerd if
# none is reachable, and build the sandbox image locally (no registry). Run as root, after
# `make setup` (the image builder runs from .venv and copies the installed toolchains).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
if ! command -v dockerd >/dev/null; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends docker.io
fi
if ! docker info >/dev/null 2>&1; then
  nohup dockerd >/tmp/dockerd.log 2>&1 &
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  if ! docker info >/dev/null 2>&1; then
    echo "ci-docker: dockerd did not come up; its log:" >&2
    tail -n 50 /tmp/dockerd.log >&2
    exit 1
  fi
fi
scripts/docker-image.sh
