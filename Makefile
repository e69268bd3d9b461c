# Safeguard: the two commands of the quick start are `make run` and
# `make test`; both install what they need first (scripts/install-deps).
#
#   make build   optimised binary with debug info at build/safeguard
#   make run     the main job (see README)
#   make test    every test: unit + integration (release build), unit tests
#                again under ASan+UBSan (both beside a throwaway PostgreSQL),
#                and the fuzzers over their seed corpora
#   make bench   the benchmarks, printing their tables
#   make fuzz    run each fuzzer for FUZZ_SECONDS (default 60)

JOBS ?= $(shell nproc)
BUILD_TYPE ?= RelWithDebInfo
FUZZ_SECONDS ?= 60
CMAKE_COMMON = -G Ninja -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
export CCACHE_DIR ?= $(HOME)/.cache/ccache

.PHONY: deps build run test unit-test asan-test fuzz-build fuzz-seeds fuzz bench-deps bench clean

deps:
	@scripts/install-deps

build/build.ninja:
	cmake -S . -B build $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: deps build/build.ninja
	cmake --build build -j $(JOBS)

run: build
	@scripts/run-main

# The unit and integration tests run beside a throwaway PostgreSQL server
# (scripts/with-postgres), so the store-level suites run on both backends;
# the server and its data are removed afterwards.
unit-test: build
	scripts/with-postgres sh -c 'cd build && ctest --output-on-failure -j $(JOBS)'

build-asan/build.ninja:
	cmake -S . -B build-asan $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=Debug -DSG_SANITIZE=ON

asan-test: deps build-asan/build.ninja
	cmake --build build-asan -j $(JOBS) --target unit_tests
	scripts/with-postgres sh -c 'cd build-asan && ASAN_OPTIONS=detect_leaks=1 \
	  UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS) -L unit'

build-fuzz/build.ninja:
	CC=clang-16 CXX=clang++-16 cmake -S . -B build-fuzz $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DSG_FUZZ=ON -DSG_TESTS=OFF

fuzz-build: deps build-fuzz/build.ninja
	cmake --build build-fuzz -j $(JOBS)

# Every seed must run clean: a regression test for past crashes.
fuzz-seeds: fuzz-build
	@scripts/run-fuzzers seeds

fuzz: fuzz-build
	@scripts/run-fuzzers run $(FUZZ_SECONDS)

test: unit-test asan-test fuzz-seeds
	@echo "make test: all suites passed"

build-bench/build.ninja: | bench-deps
	cmake -S . -B build-bench $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSG_BENCH=ON -DSG_TESTS=OFF

bench-deps:
	@scripts/install-deps --bench

bench: bench-deps build-bench/build.ninja
	cmake --build build-bench -j $(JOBS)
	@bench/run-all

clean:
	rm -rf build build-asan build-fuzz build-bench
