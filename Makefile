# One entry point. `make run` serves the API locally; `make test` runs everything CI runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 3000
RUN_ARGS ?=
INVOKE_ARGS ?=

.PHONY: dev run invoke test lint unit integration e2e bench build deploy clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when the dependency list changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[dev]"
	touch $@

dev: $(VENV)/.installed ## install the service's and the tests' dependencies into .venv

# make run PORT=8080
# make run RUN_ARGS="--dynamodb-endpoint http://localhost:8000"   (DynamoDB Local: data outlives a restart)
# make run RUN_ARGS="--parameter-overrides Authorizer=CachedCredentialsAuthorizer AuthorizerCacheTtlSeconds=300"
run: dev ## serve the API on http://$(HOST):$(PORT) with a local DynamoDB (moto) and a demo account
	$(BIN)/python -m local_runner run --host $(HOST) --port $(PORT) $(RUN_ARGS)

invoke: dev ## make invoke FUNCTION=CreateCredentialFunction EVENT=events/create_credential/valid.json
	$(BIN)/python -m local_runner invoke $(FUNCTION) -e $(EVENT) $(INVOKE_ARGS)

lint: dev ## ruff on the code and cfn-lint on the template
	$(BIN)/ruff check .
	$(BIN)/cfn-lint template.yaml

test: lint ## the whole suite: lint, unit, integration, template and end-to-end tests
	$(BIN)/python -m pytest

unit: dev
	$(BIN)/python -m pytest tests/unit

integration: dev
	$(BIN)/python -m pytest tests/integration

e2e: dev
	$(BIN)/python -m pytest tests/e2e

# make bench BENCH_ARGS="--before cda6c52 --source-only"   (also: cold start of an older commit, and without .pyc)
bench: dev ## every performance figure into docs/performance.md (~5 min; CI runs only tests/perf)
	$(BIN)/python -m bench $(BENCH_ARGS)

build: ## sam build (needs the SAM CLI; builds the arm64 layer with pip, no Docker)
	sam build

deploy: build ## first time: sam deploy --guided
	sam deploy

clean:
	rm -rf $(VENV) .aws-sam .pytest_cache .ruff_cache
