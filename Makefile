# `make demo` and `make test` are the two commands; each installs what the machine lacks.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
# npm's binaryen wasm-opt must come before any other on PATH (Debian's breaks the module).
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
FUZZ_SECONDS ?= 60

WASM_PACK := wasm-pack build --mode no-install --out-name sezzle_session
# The package's modules name a crate's source file as crates/<name-version>/..., not by this
# machine's path to its registry (panic locations are strings in the module): the same bytes
# from any home directory, and 0.1 KB gzip less in the parser and getSession modules.
REGISTRY_SRC := $(wildcard $(or $(CARGO_HOME),$(HOME)/.cargo)/registry/src/*)
comma := ,
space := $(eval) $(eval)
REMAP := --config 'target.wasm32-unknown-unknown.rustflags=[$(subst $(space),$(comma),$(foreach dir,$(REGISTRY_SRC),"--remap-path-prefix=$(dir)=crates"))]'
PKG_INPUTS := $(shell find src js tests/fixtures/valid -type f) Cargo.toml Cargo.lock scripts/build-pkg.mjs README.md CHANGELOG.md LICENSE
CONSUMER := target/consumer

# Speed and size against JSON.parse, zod, valibot and ajv: bench/node_results.md and the README's table.
bench: setup-test build bundler-deps
	node bench/run.mjs > /dev/null
	@echo "bench/node_results.md and README.md updated"


.PHONY: bench bundler-deps runtime-deps test-runtimes setup setup-test build example demo test test-native test-wasm-node test-wasm-chrome test-js test-types test-package test-bundlers fuzz fuzz-short pack clean

setup:
	bash scripts/setup.sh build

setup-test:
	bash scripts/setup.sh test

build: setup pkg/package.json

# The package's modules, from this one crate: the parser module (the `js-parser` feature's
# exports), the client module (`js-client`'s) and the getSession module (`js-get`'s, what a
# browser app that only calls getSession loads); scripts/build-pkg.mjs assembles pkg/ from
# them. The last two are built for size (Cargo.toml, [profile.client]).
pkg/package.json: $(PKG_INPUTS)
	$(WASM_PACK) --release --target web --out-dir target/glue-parser --no-pack -- --no-default-features --features js-parser,small-alloc $(REMAP)
	$(WASM_PACK) --profile client --target web --out-dir target/glue-client --no-pack -- --no-default-features --features js-client,small-alloc $(REMAP)
	$(WASM_PACK) --profile client --target web --out-dir target/glue-get --no-pack -- --no-default-features --features js-get,small-alloc $(REMAP)
	node scripts/build-pkg.mjs

# The inspector page and the mock gateway on 127.0.0.1, until Ctrl-C; the installed
# sezzle-session command (from `make pack`) works against it.
demo: pack
	node scripts/demo.mjs

# The packed tarball, installed by name into an empty project, as a user would.
pack: build
	rm -rf $(CONSUMER) && mkdir -p $(CONSUMER)
	cd pkg && npm pack --silent --pack-destination ../$(CONSUMER) > /dev/null
	cd $(CONSUMER) && echo '{"name":"consumer","private":true}' > package.json \
	  && npm install --no-audit --no-fund --offline ./sezzle-session-*.tgz > /dev/null

test: setup-test build test-native test-wasm-node test-wasm-chrome test-js test-types test-package test-bundlers test-runtimes fuzz-short
	@echo "make test: every suite passed"

# The native core: unit and integration tests, then the doc examples (which --all-targets
# leaves out).
test-native:
	scripts/expect-tests.sh "cargo test (native core)" bash -c "cargo test --all-targets && cargo test --doc"
	scripts/expect-tests.sh "cargo test (a consumer crate, tests/consumer)" cargo test -p sezzle-consumer

test-wasm-node: build
	scripts/with-mock.sh scripts/expect-tests.sh "wasm-pack test --node" \
	  wasm-pack test --node --mode no-install -- --test wasm --test client
	scripts/with-mock.sh scripts/expect-tests.sh "wasm-pack test --node (a consumer crate, tests/consumer)" \
	  wasm-pack test --node --mode no-install tests/consumer --test wasm

test-wasm-chrome: build
	WASM_BINDGEN_USE_BROWSER=1 scripts/expect-tests.sh "wasm-pack test --headless --chrome" \
	  scripts/with-mock.sh wasm-pack test --headless --chrome --chromedriver $(CHROMEDRIVER) --mode no-install -- --test wasm --test client

# The Rust example page (examples/lookup), built with wasm-pack; tests/js/example.test.mjs
# serves it and drives it in Chromium against the mock gateway.
example: setup target/example/pkg/sezzle_lookup_bg.wasm

target/example/pkg/sezzle_lookup_bg.wasm: $(shell find src examples/lookup -type f) Cargo.toml Cargo.lock
	wasm-pack build examples/lookup --release --mode no-install --target web --out-dir ../../target/example/pkg --no-pack

test-js: pack example
	scripts/expect-tests.sh "node --test (packed package)" node --test --test-reporter=spec tests/js/

test-types: pack
	cp tests/ts/consumer.ts tests/ts/esm.mts tests/ts/tsconfig.json $(CONSUMER)/
	cd $(CONSUMER) && tsc -p tsconfig.json
	@# Comments dropped first (//, /* */ on a line, and a JSDoc block's lines).
	@if sed -e 's://.*$$::' -e 's:/\*.*\*/::' -e '/^ *\/\?\*/d' pkg/index.d.ts pkg/slim.d.mts pkg/mock.d.mts pkg/types.generated.d.ts | grep -nw 'any'; then echo "FAILED: public declarations use any"; exit 1; fi
	@echo "OK: tsc --strict --noEmit on a consumer of every export"

# The packed tarball as publint and are-the-types-wrong see it: the root entry under attw's
# node16 profile (node16 from CJS and ESM, bundlers; node10 resolves no subpath) with the mock
# (an ES module and a CommonJS one), and the root alone under the strict one; the ES-module-only
# entry (slim) under its esm-only profile. The .wasm export is an asset, not a module.
test-package: pack
	cd pkg && npm publish --dry-run --ignore-scripts > /dev/null
	cargo package --offline --allow-dirty --quiet
	@echo "OK: npm publish --dry-run and cargo package (the crate verified as published)"
	publint --strict pkg
	attw --format ascii $(CONSUMER)/sezzle-session-*.tgz --entrypoints .
	attw --format ascii $(CONSUMER)/sezzle-session-*.tgz --profile node16 --entrypoints ./mock
	attw --format ascii $(CONSUMER)/sezzle-session-*.tgz --profile esm-only --entrypoints ./slim

# The packed tarball built with no configuration by Vite 5, 6, 7 and 8 (build + preview, dev
# server), webpack 5, Rollup 4, esbuild and Parcel 2, each app checked in Chromium or, for the
# Node bundles, run with node after the bundle is moved elsewhere; prints what each browser
# build ships. The bundlers are tests/bundlers' own devDependencies: npm ci when its
# node_modules is missing or older than its lock file.
BUNDLERS := tests/bundlers
bundler-deps:
	@if [ ! -f $(BUNDLERS)/node_modules/.package-lock.json ] || [ $(BUNDLERS)/package-lock.json -nt $(BUNDLERS)/node_modules/.package-lock.json ]; then \
	  echo "==> npm ci --prefix $(BUNDLERS)"; npm ci --prefix $(BUNDLERS) --no-audit --no-fund; fi

test-bundlers: pack bundler-deps
	scripts/expect-tests.sh "bundlers (packed package)" node --test --test-reporter=spec $(BUNDLERS)/

# The packed tarball on Deno and Bun (import, and require in Bun), in Cloudflare's workerd
# with each worker built by wrangler (its "workerd" entry), and in Firefox (Debian's, which
# setup.sh installs), against the mock gateway, hostile callers included. The runtimes are
# tests/runtimes' own devDependencies (npm packages that carry their binaries, puppeteer-core):
# npm ci when its node_modules is missing or older than its lock file.
RUNTIMES := tests/runtimes
runtime-deps:
	@if [ ! -f $(RUNTIMES)/node_modules/.package-lock.json ] || [ $(RUNTIMES)/package-lock.json -nt $(RUNTIMES)/node_modules/.package-lock.json ]; then \
	  echo "==> npm ci --prefix $(RUNTIMES)"; npm ci --prefix $(RUNTIMES) --no-audit --no-fund; fi

test-runtimes: pack runtime-deps
	scripts/expect-tests.sh "Deno, Bun, workerd and Firefox (packed package)" node --test --test-reporter=spec $(RUNTIMES)/

fuzz-short:
	mkdir -p fuzz/corpus/parse
	cargo +nightly fuzz run parse fuzz/corpus/parse tests/fixtures/valid tests/fixtures/invalid -- \
	  -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 2>&1 | grep -E '^(Done|stat::number_of_executed_units|INFO: seed)|panicked|ERROR|SUMMARY'

fuzz:
	$(MAKE) fuzz-short FUZZ_SECONDS=1800

clean:
	rm -rf pkg target/consumer
