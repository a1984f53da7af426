# Thin front door: `make check` and `make demo` work on a fresh Debian 12.
BUILD ?= build
JOBS  ?= $(shell nproc 2>/dev/null || echo 2)
LIT   ?= /usr/lib/llvm-19/build/utils/lit/lit.py
# Debian's python3: lit's per-test timeout needs its python3-psutil.
PYTHON ?= /usr/bin/python3

.PHONY: all deps configure build check demo bench clean

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

bench: build
	bench/sensor-overhead.sh $(BUILD)

clean:
	rm -rf $(BUILD)
