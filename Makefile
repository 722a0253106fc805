# Senim: build and test entry points.  See /work/shared/docs/toolchain.md for why things are done this way.
#
#   make run     install tools, release build, load demo data (once), serve on http://127.0.0.1:3000
#   make dev     cargo leptos watch (debug, hot reload)
#   make test    everything CI checks: fmt, clippy, wasm deps, release build, cargo tests (SQLite, and
#                PostgreSQL when reachable), cargo audit, Playwright
#   make help    list all targets
#
# Nothing here downloads from GitHub: wasm-opt comes from npm `binaryen`, the browser is Debian's chromium,
# cargo tools are built from crates.io into $(TOOLS_DIR) (outside the clone, so clean clones reuse them).

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.NOTPARALLEL:
.DEFAULT_GOAL := help

# ------------------------------------------------------------------------------------------- settings
TOOLS_DIR          ?= $(HOME)/.cache/senim/tools
CARGO_LEPTOS_VERSION ?= 0.3.10
CARGO_AUDIT_VERSION  ?= 0.22.2
# wasm-bindgen-cli must be exactly the wasm-bindgen in Cargo.lock (pitfall P2).
ifndef WASM_BINDGEN_VERSION
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock 2>/dev/null)
endif
ADVISORY_DB        ?= ../shared/advisory-db

RUN_ADDR           ?= 127.0.0.1:3000
E2E_ADDR           ?= 127.0.0.1:3100
E2E_DIR            := $(CURDIR)/target/e2e

PG_HOST            ?= 127.0.0.1
PG_PORT            ?= 5432
TEST_POSTGRES_URL  ?= postgres://postgres@$(PG_HOST):$(PG_PORT)/postgres

BIN                := ./target/release/senim

# Every cargo command must see the same LEPTOS_OUTPUT_NAME (read at compile time, pitfall P5); otherwise
# plain cargo and cargo-leptos keep rebuilding leptos and a plain-cargo binary asks for /pkg/.js.
export LEPTOS_OUTPUT_NAME := senim
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
export CARGO_TERM_COLOR ?= never
# $(TOOLS_DIR)/bin: cargo-leptos, wasm-bindgen, cargo-audit.  end2end/node_modules/.bin: wasm-opt (npm
# binaryen 132; never Debian's binaryen 108, pitfall P4) and playwright.
export PATH := $(TOOLS_DIR)/bin:$(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

# Elapsed seconds since this make started, for step headers.
SENIM_T0 := $(shell date +%s)
step = printf '\n=== [%4ss] %s\n' "$$(( $$(date +%s) - $(SENIM_T0) ))"

# apt-get needs root; use sudo when we are not root and sudo exists.
SUDO := $(shell [ "$$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1 && echo sudo)

NPM_STAMP := end2end/node_modules/.package-lock.json

.PHONY: help size tools build-tools rust-target cargo-leptos wasm-bindgen chromium npm-deps \
        build run dev fmt-check clippy check-wasm-deps \
        unit-test test-cargo test-sqlite test-postgres audit e2e test bench wrk

help:
	@sed 's/^ *|//' <<'EOF'
	|Senim make targets:
	|  run              tools + release build, `senim demo --if-empty`, serve on http://$(RUN_ADDR)
	|  dev              cargo leptos watch
	|  build            cargo leptos build --release --precompress (server + wasm, hashed names, .br/.gz)
	|  size             raw/gzip/brotli bytes of target/site/pkg; fails past bench/size-budget.txt
	|  tools            rust wasm target, cargo-leptos $(CARGO_LEPTOS_VERSION), wasm-bindgen-cli $(WASM_BINDGEN_VERSION),
	|                   chromium (apt), npm ci in end2end (Playwright, wasm-opt)
	|  test             fmt-check clippy check-wasm-deps build size test-cargo audit e2e
	|  fmt-check        cargo fmt --check
	|  clippy           clippy -D warnings for the server (ssr, all targets) and the wasm lib (hydrate)
	|  check-wasm-deps  fail if sqlx/tokio/argon2/axum/mio reach the wasm dependency tree
	|  unit-test        library unit tests + doctests (release, ssr)
	|  test-cargo       all cargo tests; PostgreSQL half only when $(PG_HOST):$(PG_PORT) is reachable
	|  test-sqlite      all cargo tests, SQLite only (TEST_POSTGRES_URL unset)
	|  test-postgres    all cargo tests with TEST_POSTGRES_URL=$(TEST_POSTGRES_URL) (fails if unreachable)
	|  audit            cargo audit against the RustSec snapshot in ADVISORY_DB=$(ADVISORY_DB)
	|  e2e              release server on a fresh SQLite db in $(E2E_DIR)/, Playwright (JS and no-JS)
	|  bench            seed BENCH_ORGS traders with a submitted T1, raw insert rate, wrk with BENCH_USERS
	|                   users on the section page and autosaves, SQLite and PostgreSQL (target/bench/)
	|Variables: TOOLS_DIR=$(TOOLS_DIR) ADVISORY_DB PG_HOST PG_PORT TEST_POSTGRES_URL RUN_ADDR E2E_ADDR
	EOF

# ---------------------------------------------------------------------------------------------- tools
tools: build-tools chromium

build-tools: rust-target cargo-leptos wasm-bindgen npm-deps

rust-target:
	@$(step) "rust target wasm32-unknown-unknown"
	if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
	  echo "already installed"
	else
	  rustup target add wasm32-unknown-unknown
	fi

cargo-leptos:
	@$(step) "cargo-leptos $(CARGO_LEPTOS_VERSION)"
	# 0.3.11 needs rustc >= 1.96 (pitfall P1); 0.3.10 --locked builds on 1.95 (~11 min, cached in TOOLS_DIR).
	if cargo-leptos --version 2>/dev/null | grep -qF "cargo-leptos $(CARGO_LEPTOS_VERSION)"; then
	  echo "found $$(command -v cargo-leptos)"
	else
	  cargo install cargo-leptos --version "$(CARGO_LEPTOS_VERSION)" --locked --root "$(TOOLS_DIR)"
	fi

wasm-bindgen:
	@$(step) "wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (from Cargo.lock)"
	if [ -z "$(WASM_BINDGEN_VERSION)" ]; then echo "cannot read the wasm-bindgen version from Cargo.lock" >&2; exit 1; fi
	if wasm-bindgen --version 2>/dev/null | grep -qxF "wasm-bindgen $(WASM_BINDGEN_VERSION)"; then
	  echo "found $$(command -v wasm-bindgen)"
	else
	  # No --locked: its lockfile pins a webpki-roots the registry here does not have (pitfall P3).
	  cargo install wasm-bindgen-cli --version "$(WASM_BINDGEN_VERSION)" --root "$(TOOLS_DIR)"
	fi

chromium:
	@$(step) "chromium (Debian package)"
	if [ -x /usr/bin/chromium ]; then
	  echo "found /usr/bin/chromium"
	else
	  $(SUDO) apt-get update -qq
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium
	fi

npm-deps: $(NPM_STAMP)
	@echo "end2end/node_modules up to date; $$(wasm-opt --version)"

# npm ci only when package.json / package-lock.json changed. Never `npx playwright install`.
$(NPM_STAMP): end2end/package.json end2end/package-lock.json
	@$(step) "npm ci (end2end: @playwright/test, binaryen's wasm-opt)"
	(cd end2end && npm ci --no-audit --no-fund)
	touch "$@"

# ---------------------------------------------------------------------------------------------- build
# With hash-files, cargo-leptos builds the server only after the wasm; the server does not need the
# wasm, so it compiles at the same time in the background with the exact command cargo-leptos runs
# (the wasm has its own target dir, target/front, so the two do not share a lock), and cargo-leptos's
# own server step then finds it fresh. Saves about a third of a cold release build on 2 cores.
build: build-tools
	@$(step) "cargo leptos build --release --precompress (the server compiles alongside the wasm)"
	mkdir -p target
	cargo build --package=senim --bin=senim --no-default-features --features=ssr --release \
	  > target/server-build.log 2>&1 & server=$$!
	trap 'kill $$server 2>/dev/null || true' EXIT
	cargo leptos build --release --precompress
	wait $$server || { cat target/server-build.log >&2; exit 1; }
	trap - EXIT

run: tools build
	@$(step) "senim migrate; senim demo --if-empty; senim serve on http://$(RUN_ADDR)"
	mkdir -p data
	export LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR="$(RUN_ADDR)" LEPTOS_ENV=PROD
	export SENIM_PUBLIC_URL="$${SENIM_PUBLIC_URL:-http://$(RUN_ADDR)}"
	$(BIN) migrate
	$(BIN) demo --if-empty
	exec $(BIN) serve

dev: build-tools
	@$(step) "cargo leptos watch"
	mkdir -p data
	exec cargo leptos watch

# ----------------------------------------------------------------------------------------- static checks
fmt-check:
	@$(step) "cargo fmt --check"
	cargo fmt --all --check

# Both runs at once: each spends minutes in rustc's single-threaded front end on the app crate, so
# on 2 cores they overlap well. The wasm run has its own target dir (cargo locks a target dir
# per command); its artifacts are check-only and shared with nothing else anyway.
clippy: rust-target
	@$(step) "clippy (server ‖ wasm): cargo clippy --release --features ssr --all-targets; cargo clippy --release --lib --features hydrate --target wasm32-unknown-unknown"
	mkdir -p target/test-logs
	CARGO_TARGET_DIR=target/clippy-wasm cargo clippy --release --lib --features hydrate \
	  --target wasm32-unknown-unknown -- -D warnings > target/test-logs/clippy-wasm.log 2>&1 &
	wasm=$$!
	server_rc=0
	cargo clippy --release --features ssr --all-targets -- -D warnings || server_rc=$$?
	wasm_rc=0
	wait $$wasm || wasm_rc=$$?
	echo "--- clippy (wasm) output:"
	cat target/test-logs/clippy-wasm.log
	if [ "$$server_rc" != 0 ] || [ "$$wasm_rc" != 0 ]; then
	  echo "ERROR: clippy failed (server exit $$server_rc, wasm exit $$wasm_rc)" >&2
	  exit 1
	fi
	$(step) "clippy: both clean"

# Server-only crates must never reach the browser bundle.
WASM_FORBIDDEN := sqlx|sqlx-[a-z-]+|tokio|argon2|axum|axum-core|mio
check-wasm-deps:
	@$(step) "check-wasm-deps: no sqlx, tokio, argon2, axum or mio in the hydrate/wasm32 tree"
	mkdir -p target
	cargo tree -e normal --features hydrate --no-default-features --target wasm32-unknown-unknown \
	  --prefix none --format '{p}' | awk '{print $$1}' | sort -u > target/wasm-deps.txt
	bad=$$(grep -xE '$(WASM_FORBIDDEN)' target/wasm-deps.txt || true)
	if [ -n "$$bad" ]; then
	  echo "ERROR: server-only crates in the wasm dependency tree: $$(echo $$bad)" >&2
	  for c in $$bad; do
	    cargo tree -e normal --features hydrate --no-default-features --target wasm32-unknown-unknown -i "$$c" >&2 || true
	  done
	  exit 1
	fi
	echo "ok: $$(wc -l < target/wasm-deps.txt) crates in the wasm tree, none server-only"

# ----------------------------------------------------------------------------------------- cargo tests
# Release profile + exported LEPTOS_OUTPUT_NAME: reuses the `cargo leptos build --release` artifacts (P5, P6).
# cargo-nextest when installed (it does not run doctests, so `cargo test --doc` follows), else cargo test.
define cargo_tests
mkdir -p target/test-logs
if command -v cargo-nextest >/dev/null 2>&1; then
  cargo nextest run --release --features ssr --no-tests=warn $(1) 2>&1 | tee target/test-logs/cargo.log
  cargo test --release --features ssr --doc
else
  # One test at a time: in one process, two tests' runtimes at once made a page GET stall until the
  # 30 s request timeout now and then (never under nextest, which runs each test in its own process).
  cargo test --release --features ssr $(1) -- --test-threads=1 2>&1 | tee target/test-logs/cargo.log
fi
endef

# Exit 0 when PostgreSQL answers at PG_HOST:PG_PORT: pg_isready, else psql, else bash's /dev/tcp.
define pg_reachable
( if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$(PG_HOST)" -p "$(PG_PORT)" -t 3
  elif command -v psql >/dev/null 2>&1; then
    PGCONNECT_TIMEOUT=3 psql "$(TEST_POSTGRES_URL)" -Atqc 'select 1' >/dev/null 2>&1
  else
    timeout 3 bash -c 'exec 3<>/dev/tcp/$(PG_HOST)/$(PG_PORT)' 2>/dev/null
  fi )
endef

unit-test:
	@$(step) "unit tests (lib, SQLite only) + doctests"
	unset TEST_POSTGRES_URL
	if command -v cargo-nextest >/dev/null 2>&1; then
	  cargo nextest run --release --features ssr --no-tests=warn --lib
	else
	  cargo test --release --features ssr --lib
	fi
	cargo test --release --features ssr --doc

test-cargo:
	@$(step) "cargo tests (SQLite always; PostgreSQL when $(PG_HOST):$(PG_PORT) is reachable)"
	if $(pg_reachable); then
	  echo "PostgreSQL reachable at $(PG_HOST):$(PG_PORT): running the PostgreSQL half too (TEST_POSTGRES_URL=$(TEST_POSTGRES_URL))"
	  export TEST_POSTGRES_URL="$(TEST_POSTGRES_URL)"
	else
	  echo "################################################################################"
	  echo "### SKIPPING PostgreSQL tests: no server at $(PG_HOST):$(PG_PORT)"
	  echo "### (SQLite tests still run. Start PostgreSQL or set PG_HOST/PG_PORT to include them.)"
	  echo "################################################################################"
	  unset TEST_POSTGRES_URL
	fi
	$(call cargo_tests)

test-sqlite:
	@$(step) "cargo tests, SQLite only"
	unset TEST_POSTGRES_URL
	$(call cargo_tests)

test-postgres:
	@$(step) "cargo tests with PostgreSQL ($(TEST_POSTGRES_URL))"
	if ! $(pg_reachable); then echo "ERROR: no PostgreSQL server at $(PG_HOST):$(PG_PORT)" >&2; exit 1; fi
	export TEST_POSTGRES_URL="$(TEST_POSTGRES_URL)"
	$(call cargo_tests)

# ---------------------------------------------------------------------------------------------- audit
audit:
	@$(step) "cargo audit (RustSec snapshot: $(ADVISORY_DB))"
	if [ ! -d "$(ADVISORY_DB)" ]; then
	  echo "### SKIPPING cargo audit: no RustSec advisory database snapshot at $(ADVISORY_DB) (set ADVISORY_DB=...)"
	  exit 0
	fi
	[ -f "$(ADVISORY_DB)/SNAPSHOT" ] && head -n 1 "$(ADVISORY_DB)/SNAPSHOT" || true
	if ! command -v cargo-audit >/dev/null 2>&1; then
	  cargo install cargo-audit --version "$(CARGO_AUDIT_VERSION)" --locked --root "$(TOOLS_DIR)"
	fi
	# --no-fetch: the live database cannot be fetched here; --no-yanked: the registry cannot answer yanked
	# queries. Warnings (e.g. `paste` unmaintained) are reported but do not fail; vulnerabilities do.
	cargo audit --db "$(abspath $(ADVISORY_DB))" --no-fetch --no-yanked

# ------------------------------------------------------------------------------------------------ e2e
E2E_OFFICER_EMAIL    := officer@e2e.test
E2E_OFFICER_PASSWORD := quiet harbour lantern 2026
E2E_ADMIN_EMAIL      := admin@e2e.test
E2E_ADMIN_PASSWORD   := amber meadow compass 2026
E2E_SUPERVISOR_EMAIL    := supervisor@e2e.test
E2E_SUPERVISOR_PASSWORD := steady willow beacon 2026

e2e: build chromium
	@$(step) "e2e: fresh SQLite database in $(E2E_DIR)/, server on http://$(E2E_ADDR)"
	if curl -s --noproxy '*' -o /dev/null --max-time 2 "http://$(E2E_ADDR)/"; then
	  echo "ERROR: something is already listening on $(E2E_ADDR); stop it or set E2E_ADDR=host:port" >&2
	  exit 1
	fi
	rm -rf "$(E2E_DIR)"
	mkdir -p "$(E2E_DIR)"
	export DATABASE_URL="sqlite://$(E2E_DIR)/senim.db?mode=rwc"
	export LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR="$(E2E_ADDR)" LEPTOS_ENV=PROD
	export SENIM_PUBLIC_URL="http://$(E2E_ADDR)"
	# Every browser test signs in and registers from 127.0.0.1; the per-account limits still apply.
	export SENIM_SIGNIN_IP_ATTEMPTS=1000 SENIM_REGISTER_IP_ATTEMPTS=1000
	server_pid=
	finish() {
	  rc=$$?
	  if [ -n "$$server_pid" ]; then
	    kill "$$server_pid" 2>/dev/null || true
	    for _ in $$(seq 1 50); do kill -0 "$$server_pid" 2>/dev/null || break; sleep 0.1; done
	    kill -9 "$$server_pid" 2>/dev/null || true
	    wait "$$server_pid" 2>/dev/null || true
	  fi
	  if [ "$$rc" != 0 ]; then
	    echo "### e2e FAILED (exit $$rc). Last 60 lines of $(E2E_DIR)/setup.log and $(E2E_DIR)/server.log:" >&2
	    tail -n 60 "$(E2E_DIR)/setup.log" >&2 2>/dev/null || true
	    echo "----- server.log" >&2
	    tail -n 60 "$(E2E_DIR)/server.log" >&2 2>/dev/null || true
	  fi
	  exit "$$rc"
	}
	trap finish EXIT
	$(step) "e2e: senim migrate; senim admin create (officer, customs admin)"
	{
	  $(BIN) migrate
	  printf '%s' '$(E2E_OFFICER_PASSWORD)' | $(BIN) admin create --email '$(E2E_OFFICER_EMAIL)' \
	    --name 'E2E Officer' --role officer --password-stdin
	  printf '%s' '$(E2E_ADMIN_PASSWORD)' | $(BIN) admin create --email '$(E2E_ADMIN_EMAIL)' \
	    --name 'E2E Admin' --role customs_admin --password-stdin
	  printf '%s' '$(E2E_SUPERVISOR_PASSWORD)' | $(BIN) admin create --email '$(E2E_SUPERVISOR_EMAIL)' \
	    --name 'E2E Supervisor' --role supervisor --password-stdin
	} > "$(E2E_DIR)/setup.log" 2>&1
	$(step) "e2e: start server (log: $(E2E_DIR)/server.log)"
	$(BIN) serve > "$(E2E_DIR)/server.log" 2>&1 &
	server_pid=$$!
	ready=
	for _ in $$(seq 1 180); do
	  kill -0 "$$server_pid" 2>/dev/null || { echo "ERROR: server exited during start-up" >&2; exit 1; }
	  if curl -s --noproxy '*' -o /dev/null --max-time 2 "http://$(E2E_ADDR)/"; then ready=1; break; fi
	  sleep 0.5
	done
	[ -n "$$ready" ] || { echo "ERROR: server not ready on $(E2E_ADDR) after 90 s" >&2; exit 1; }
	$(step) "e2e: npx playwright test (chromium-js, chromium-nojs)"
	mkdir -p target/test-logs
	( cd end2end
	  BASE_URL="http://$(E2E_ADDR)" \
	  E2E_OFFICER_EMAIL='$(E2E_OFFICER_EMAIL)' E2E_OFFICER_PASSWORD='$(E2E_OFFICER_PASSWORD)' \
	  E2E_ADMIN_EMAIL='$(E2E_ADMIN_EMAIL)' E2E_ADMIN_PASSWORD='$(E2E_ADMIN_PASSWORD)' \
	  E2E_SUPERVISOR_EMAIL='$(E2E_SUPERVISOR_EMAIL)' E2E_SUPERVISOR_PASSWORD='$(E2E_SUPERVISOR_PASSWORD)' \
	    npx playwright test ) 2>&1 | tee target/test-logs/e2e.log
	# What each page fetches (written by end2end/tests/islands.spec.ts).
	[ -f target/bench/pages.md ] && cat target/bench/pages.md || true
	$(step) "e2e: passed"

# ---------------------------------------------------------------------------------------------- bench
wrk:
	@command -v wrk >/dev/null 2>&1 && exit 0
	$(step) "install wrk (Debian package)"
	$(SUDO) apt-get install -y wrk || { $(SUDO) apt-get update && $(SUDO) apt-get install -y wrk; }

# Numbers only mean something on a quiet machine: nothing else should build or run meanwhile.
bench: build wrk size
	@$(step) "bench: $${BENCH_ORGS:-1000} organisations, $${BENCH_USERS:-50} users (see bench/run.sh)"
	bash bench/run.sh

# Raw / gzip / brotli bytes of the release client, and the budget check (bench/size-budget.txt).
size:
	@$(step) "size: the release client against bench/size-budget.txt"
	bash bench/size.sh

# ----------------------------------------------------------------------------------------------- test
# Order matters (.NOTPARALLEL): cheap checks first, then the release build, whose artifacts the cargo
# tests and the e2e server reuse.
test: tools fmt-check clippy check-wasm-deps build size test-cargo audit e2e
	@$(step) "make test: all steps passed"
	# One closing line that counts every test run: Rust (nextest or cargo test) plus Playwright.
	rust=$$(grep -hoE '[0-9]+ tests run: [0-9]+ passed|test result: ok\. [0-9]+ passed' target/test-logs/cargo.log | grep -oE '[0-9]+ passed' | awk '{ sum += $$1 } END { print sum + 0 }')
	browser=$$(grep -hoE '^ *[0-9]+ passed' target/test-logs/e2e.log | grep -oE '[0-9]+' | tail -1)
	echo "summary: $$(( $${rust:-0} + $${browser:-0} )) passed, 0 failed"
