# Sapa. Two commands do everything on a fresh machine:
#   make dev    build, then run the simulator and the edge locally (demo page + agent inbox);
#               both keep their state across restarts, `make dev FRESH=1` starts both empty
#   make test   build, then run every test: native, wasm in headless Chromium, end-to-end (with a chaos soak)
# Longer runs: `make bench` (speed and size), `make soak` (1,000-message soak and every fuzz target).
# Every target installs what it needs first (scripts/setup.sh) and rebuilds only what changed.

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)
# worker-build must use the pinned local tools, never download its own.
export WASM_BINDGEN_BIN := $(HOME)/.cargo/bin/wasm-bindgen
export WASM_OPT_BIN := $(CURDIR)/node_modules/.bin/wasm-opt
export ESBUILD_BIN := $(CURDIR)/node_modules/.bin/esbuild

COMMON     := Cargo.toml Cargo.lock $(shell find protocol/src -name '*.rs') protocol/Cargo.toml
EDGE_SRC   := $(shell find edge/src -name '*.rs') edge/Cargo.toml
WIDGET_SRC := $(shell find widget/src -type f) widget/Cargo.toml widget/build.rs
SIM_SRC    := $(shell find tests/relasi-sim/src -name '*.rs') tests/relasi-sim/Cargo.toml
WWW_SRC    := $(shell find www -type f)

EDGE_OUT   := edge/build/worker/shim.mjs
WIDGET_OUT := target/widget/sapa_widget_bg.wasm
WWW_OUT    := dist/www/widget.js
SIM_BIN    := target/debug/relasi-sim target/debug/respondio-sim

.PHONY: setup setup-browser build build-worker dev test lint test-native test-types test-wasm test-e2e check-bundle bench soak fuzz deploy clean

setup:
	@scripts/setup.sh tools

setup-browser:
	@scripts/setup.sh browser

## build: everything `make dev` and the tests run.
build: setup build-worker $(SIM_BIN)

## build-worker: what wrangler serves (wrangler.toml runs this as its build command).
build-worker: setup $(EDGE_OUT) $(WWW_OUT)

$(EDGE_OUT): $(EDGE_SRC) $(COMMON) scripts/build-edge.sh scripts/toolchain.env
	scripts/build-edge.sh
	@touch $@

$(WIDGET_OUT): $(WIDGET_SRC) $(COMMON) scripts/build-widget.sh scripts/drop-bindings.mjs scripts/minify-imports.mjs \
  scripts/order-functions.mjs scripts/wasm-binary.mjs scripts/toolchain.env
	scripts/build-widget.sh

$(WWW_OUT): $(WIDGET_OUT) $(WWW_SRC) scripts/build-www.sh
	@mkdir -p dist
	scripts/build-www.sh

$(SIM_BIN): $(SIM_SRC) Cargo.lock
	cargo build -p relasi-sim
	@touch $@

dev: build
	scripts/dev.sh $(if $(FRESH),--fresh)

test: build setup-browser
	$(MAKE) --no-print-directory lint test-native test-types test-wasm test-e2e check-bundle

## The house rules: rustfmt (rustfmt.toml) and clippy with every warning an error.
lint: setup
	cargo fmt --all --check
	node scripts/check-imports.mjs widget/src edge/src
	cargo clippy --workspace --all-targets -- -D warnings
	@# The rim and the widget's browser code compile for wasm only: lint them there too (the widget as released, split).
	cargo clippy -p sapa-edge -p sapa-widget --target wasm32-unknown-unknown --features sapa-widget/split -- -D warnings

## Proves the Worker bundles for deployment (nothing is uploaded) and checks the size budgets.
check-bundle: build-worker
	node scripts/check-size.mjs

test-native:
	cargo test --workspace --exclude sapa-widget
	@# The widget's pure logic (stream_state.rs), natively; its browser code is tested in test-wasm.
	cargo test -p sapa-widget --lib

## The page API's TypeScript declarations (www/sapa.d.ts) accept the documented calls and refuse misuse.
test-types: setup
	tsc -p tests/types

## The widget's own tests, in headless Chromium through chromedriver (widget/webdriver.json).
test-wasm:
	cd widget && CHROMEDRIVER=/usr/bin/chromedriver \
	  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	  cargo test --target wasm32-unknown-unknown

test-e2e:
	node --test --test-concurrency=1 tests/e2e/

## Size, speed and latency, side by side in one run: bench/results.json and BENCHMARKS.md.
bench: build setup-browser
	node bench/run.mjs

## The chaos soak with 1,000 messages, then every fuzz target (cargo fuzz on nightly) for FUZZ_SECONDS each;
## figures into BENCHMARKS.md and bench/soak.json.
soak: build setup-browser
	scripts/soak.sh

## Every fuzz target for FUZZ_SECONDS (default 60) each.
fuzz:
	scripts/fuzz.sh $(or $(FUZZ_SECONDS),60)

## Publishes the Worker (needs `wrangler login` or CLOUDFLARE_API_TOKEN, and the secrets put once).
deploy: build-worker
	wrangler deploy

clean:
	rm -rf dist edge/build target/widget
