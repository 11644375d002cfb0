#!/usr/bin/env bash
# Builds the docker sandbox image (coderforge-sandbox:latest) locally: no registry is needed.
# The image holds this machine's toolchains (their Debian packages' files and dependencies),
# coderforge's Python (standard library only) and the rustup toolchain, at the host's paths.
# Needs: a running Docker engine, the toolchains installed (scripts/system-deps.sh), and .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
exec "${VENV:-.venv}/bin/coderforge" sandbox image "$@"
