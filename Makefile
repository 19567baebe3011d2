# faqbot: `make run` serves http://127.0.0.1:8000, `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
KNOWLEDGE ?= knowledge

.PHONY: run test install install-test bench owner-loop cluster clean

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

# two instances (2 workers each) on two ports against one PostgreSQL database and one Redis, for a
# local trial behind your own load balancer; Ctrl-C stops both. SIGHUP to either reloads its knowledge.
CLUSTER_DATABASE ?= postgresql://postgres@127.0.0.1:5432/test
CLUSTER_REDIS    ?= redis://127.0.0.1:6379/0
CLUSTER_PORTS    ?= 8001 8002
cluster: $(VENV)/.installed
	@FAQBOT_DATABASE='$(CLUSTER_DATABASE)' FAQBOT_RATELIMIT_STORAGE='$(CLUSTER_REDIS)' sh -c '\
	  pids=""; for port in $(CLUSTER_PORTS); do \
	    $(BIN)/faqbot serve --host $(HOST) --port $$port --workers 2 --knowledge $(KNOWLEDGE) & pids="$$pids $$!"; \
	  done; \
	  trap "kill -TERM $$pids 2>/dev/null" INT TERM; wait; wait'

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
