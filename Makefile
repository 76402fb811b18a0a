# OneSeal — the two commands of the README (`make demo`, `make test`) and the helpers they use.
# Works on a fresh machine with Python >= 3.11 and make; everything else is installed here.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test test-sqlite test-pg lint bench messages install dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
dev: $(VENV)/.installed-dev

## make demo: the whole system on SQLite with demo data, on http://127.0.0.1:$(PORT)
demo: install
	PORT=$(PORT) $(BIN)/oneseal demo

## make test: the whole suite on SQLite, and on PostgreSQL too when ONESEAL_TEST_PG is set
test: dev
	scripts/ensure-system-deps
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$ONESEAL_TEST_PG" ]; then $(MAKE) --no-print-directory test-pg; \
	else echo "ONESEAL_TEST_PG 未设置：跳过 PostgreSQL 轮次 / not set: PostgreSQL round skipped"; fi

test-sqlite:
	@echo "== 测试 / tests: SQLite =="
	ONESEAL_TESTING=1 DATABASE_URL= $(BIN)/pytest -n 2 -q $(PYTEST_ARGS)

test-pg:
	@echo "== 测试 / tests: PostgreSQL =="
	$(BIN)/python scripts/ensure_pg_database.py "$$ONESEAL_TEST_PG"
	ONESEAL_TESTING=1 DATABASE_URL="$$ONESEAL_TEST_PG" $(BIN)/pytest -n 2 -q $(PYTEST_ARGS)

## make lint: the quality gates CI runs besides the tests
lint: dev
	$(BIN)/ruff check src tests bench
	ONESEAL_DEV=1 $(BIN)/oneseal manage makemigrations --check --dry-run
	$(BIN)/lint-imports
	$(BIN)/mypy $$(find src -type d -name domain -not -path '*/__pycache__*')

## make bench: every benchmark under bench/, a table on screen and JSON in bench/results/
bench: dev
	scripts/ensure-bench-deps
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

messages: dev
	cd src/oneseal && ../../$(BIN)/oneseal manage makemessages -l en --no-obsolete
	cd src/oneseal && ../../$(BIN)/oneseal manage compilemessages

clean:
	rm -rf $(VENV) var
