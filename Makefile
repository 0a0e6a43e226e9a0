# w2: the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")

.PHONY: demo test install services browsers speech lint screenshots bench

install:
	@bash scripts/ensure-uv.sh
	@"$$(bash scripts/ensure-uv.sh --path)" sync --frozen

demo: install
	@"$$(bash scripts/ensure-uv.sh --path)" run w2 demo

services:
	@bash scripts/ensure-services.sh
	@bash scripts/ensure-pgbouncer.sh

browsers:
	@bash scripts/ensure-browser.sh

speech:
	@bash scripts/ensure-speech.sh

test: install services browsers speech
	@"$$(bash scripts/ensure-uv.sh --path)" run ruff check .
	@"$$(bash scripts/ensure-uv.sh --path)" run lint-imports
	@UV="$$(bash scripts/ensure-uv.sh --path)" bash scripts/typecheck.sh
	@"$$(bash scripts/ensure-uv.sh --path)" run python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

lint: install
	@"$$(bash scripts/ensure-uv.sh --path)" run ruff check .
	@"$$(bash scripts/ensure-uv.sh --path)" run lint-imports
	@UV="$$(bash scripts/ensure-uv.sh --path)" bash scripts/typecheck.sh

screenshots: install services browsers speech
	@W2_SCREENSHOTS="$(CURDIR)/docs/screenshots" "$$(bash scripts/ensure-uv.sh --path)" run python -m pytest -q -p no:cacheprovider tests/pages
