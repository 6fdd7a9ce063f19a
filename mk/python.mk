# bindings-python: the `hooksig` Python package (pyo3 + maturin).
#
# test-python creates bindings-python/.venv, installs the pinned tools
# (requirements-test.txt: maturin, pytest, mypy, Django, Starlette, FastAPI,
# Flask, uvicorn), builds and installs the package with `pip install ./bindings-python`,
# then runs mypy --strict (stubs, tests, examples, and the adapter modules they
# import), stubtest (with the project's mypy config: Django ships no types) and pytest. The pyo3 crate is built by maturin, not by `cargo test`.

PY_DIR := bindings-python
PY_VENV := $(PY_DIR)/.venv
PY := $(PY_VENV)/bin/python

CARGO_TEST_EXCLUDE += --exclude hooksig-python
TEST_TARGETS += test-python
CLEAN_TARGETS += clean-python

.PHONY: test-python wheel-python clean-python

# A fresh Debian python3 may lack the venv module: install it (as root) if so.
$(PY_VENV)/.installed: $(PY_DIR)/requirements-test.txt
	$(PYTHON) -m venv --clear $(PY_VENV) || { apt-get update && apt-get install -y python3-venv && $(PYTHON) -m venv --clear $(PY_VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check -r $(PY_DIR)/requirements-test.txt
	touch $@

test-python: $(PY_VENV)/.installed redis-deps ## Python package: build + install with pip, mypy --strict, stubtest, pytest
	PATH="$(abspath $(PY_VENV))/bin:$$PATH" $(PY) -m pip install --quiet --disable-pip-version-check --no-build-isolation --force-reinstall --no-deps ./$(PY_DIR)
	cd $(PY_DIR) && .venv/bin/python -m mypy
	cd $(PY_DIR) && .venv/bin/python -m mypy.stubtest --mypy-config-file pyproject.toml hooksig
	cd $(PY_DIR) && .venv/bin/python -m pytest

wheel-python: $(PY_VENV)/.installed ## Build the Python wheel (maturin build --release) into target/wheels
	cd $(PY_DIR) && .venv/bin/maturin build --release --locked

clean-python:
	rm -rf $(PY_VENV) $(PY_DIR)/.mypy_cache $(PY_DIR)/.pytest_cache
