# Thin front door: `make check` and `make demo` work on a fresh Debian 12.
BUILD ?= build
JOBS  ?= $(shell nproc 2>/dev/null || echo 2)
LIT   ?= /usr/lib/llvm-19/build/utils/lit/lit.py
# Debian's python3: lit's per-test timeout needs its python3-psutil.
PYTHON ?= /usr/bin/python3

.PHONY: all deps configure build check demo bench bench-quick clean

all: build

deps:
	@utils/install-deps.sh

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

configure: $(BUILD)/CMakeCache.txt

build: deps configure
	cmake --build $(BUILD) -j $(JOBS)

check: build
	$(PYTHON) $(LIT) -sv $(BUILD)/test

demo: build
	utils/demo.sh $(BUILD)

# Real programs (Lua, SQLite, zlib, gzip from Debian sources) in six variants, side by side;
# rewrites the "Real programs" section of docs/benchmarks.md and its plot. Then the
# sensor micro-benchmark.
bench: build
	$(PYTHON) bench/real/bench.py $(BUILD) --doc docs/benchmarks.md
	bench/sensor-overhead.sh $(BUILD)

# A subset in about three minutes: Lua and zlib, 3 runs, a quarter of the work.
bench-quick: build
	$(PYTHON) bench/real/bench.py $(BUILD) --quick

clean:
	rm -rf $(BUILD)
