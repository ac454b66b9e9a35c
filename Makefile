# Quick start: `make demo` (no account needed), then `make test`.
# Every target installs what it needs into .venv, so a fresh clone works.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO   := demo-out

.PHONY: demo test bench fit clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Stamps re-run the install whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@ $(VENV)/.installed

# The sample calendar is dated around a fixed week; the demo shifts it so that its
# interviews fall around today, then runs a normal offline sync on it. State goes to
# $(DEMO)/state so the demo never touches your real follow-up state.
demo: $(VENV)/.installed
	@mkdir -p $(DEMO)
	$(BIN)/python examples/shift_calendar.py examples/calendar.ics $(DEMO)/calendar.ics
	FOLLOWUP_DATA_DIR=$(DEMO)/state FOLLOWUP_CONFIG_DIR=$(DEMO)/config \
	  $(BIN)/followup sync --from $(DEMO)/calendar.ics --out $(DEMO)/ics -v
	FOLLOWUP_DATA_DIR=$(DEMO)/state FOLLOWUP_CONFIG_DIR=$(DEMO)/config \
	  $(BIN)/followup list
	@echo
	@echo "Import $(DEMO)/ics/followups.ics into your calendar app to see the reminders."

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n auto -q

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py

# Refit the veto's weights (rules/fitted.json) after the labelled tuning sets change.
fit: $(VENV)/.installed-test
	$(BIN)/python -m tests.rules.fit

clean:
	rm -rf $(DEMO) .pytest_cache .hypothesis
