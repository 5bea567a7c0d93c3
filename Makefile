# Thin wrapper over CMake/CTest. The targets a user needs:
#   make deps    install every Debian package (idempotent)
#   make build   configure + build (RelWithDebInfo) into build/
#   make test    build + run every test; prints the ctest summary line
#   make bench   Release build + run every benchmark
#   make test SANITIZE=address,undefined   or   SANITIZE=thread
comma := ,
SANITIZE ?=
BUILD_TYPE ?= RelWithDebInfo
BUILD_DIR ?= build$(if $(SANITIZE),-$(subst $(comma),-,$(SANITIZE)))
BENCH_DIR ?= build-release
JOBS ?= $(shell nproc)
CTEST_ARGS ?=
BENCH_ARGS ?=

.PHONY: all deps build test bench format clean

all: build

deps:
	@scripts/install-deps

build: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	  -DAGENTHUB_SANITIZE=$(SANITIZE) \
	  -DAGENTHUB_BUILD_BENCHMARKS=$(if $(SANITIZE),OFF,ON) >/dev/null
	@cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	@ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) $(CTEST_ARGS)

bench: deps
	@cmake -S . -B $(BENCH_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DAGENTHUB_BUILD_TESTS=OFF >/dev/null
	@cmake --build $(BENCH_DIR) -j $(JOBS)
	@scripts/run-benchmarks $(BENCH_DIR) $(BENCH_ARGS)

format:
	@git ls-files '*.h' '*.cc' | xargs clang-format -i

clean:
	rm -rf build build-* 
