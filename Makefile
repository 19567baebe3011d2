# faqbot: `make run` serves http://127.0.0.1:8000, `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
KNOWLEDGE ?= knowledge

.PHONY: run test install install-test bench owner-loop clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Installs are stamped so that repeated `make run` / `make test` start at once.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: $(VENV)/.installed
	$(BIN)/faqbot serve --host $(HOST) --port $(PORT) --knowledge $(KNOWLEDGE)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/http_bench.py

# the owner's loop end to end, on copies (the repository's knowledge/ and instance/ are not touched)
owner-loop: $(VENV)/.installed
	$(BIN)/python benchmarks/owner_loop.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
