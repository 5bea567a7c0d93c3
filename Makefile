# Thin wrapper over CMake/CTest. The targets a user needs:
#   make deps    install every Debian package (idempotent)
#   make build   configure + build (RelWithDebInfo) into build/
#   make test    build + run every test; prints the ctest summary line
#   make bench   Release build + run every benchmark
#   make demo    build the binary + run `agenthub demo` (DEMO_ARGS=--keep keeps it up)
#   make test SANITIZE=address,undefined   or   SANITIZE=thread
comma := ,
SANITIZE ?=
BUILD_TYPE ?= RelWithDebInfo
BUILD_DIR ?= build$(if $(SANITIZE),-$(subst $(comma),-,$(SANITIZE)))
BENCH_DIR ?= build-release
JOBS ?= $(shell nproc)
CTEST_ARGS ?=
BENCH_ARGS ?=
DEMO_ARGS ?=

.PHONY: all deps build test bench demo format clean fuzz

all: build

deps:
	@scripts/install-deps

CONFIGURE = cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	  -DAGENTHUB_SANITIZE=$(SANITIZE) \
	  -DAGENTHUB_BUILD_BENCHMARKS=$(if $(SANITIZE),OFF,ON) >/dev/null

build: deps
	@$(CONFIGURE)
	@cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	@ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) $(CTEST_ARGS)

bench: deps
	@cmake -S . -B $(BENCH_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DAGENTHUB_BUILD_TESTS=OFF >/dev/null
	@cmake --build $(BENCH_DIR) -j $(JOBS)
	@scripts/run-benchmarks $(BENCH_DIR) $(BENCH_ARGS)

# Only the agenthub binary is built, so the first demo does not wait for
# every test and benchmark to compile.
demo: deps
	@$(CONFIGURE)
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target agenthub
	@$(BUILD_DIR)/src/agenthub demo $(DEMO_ARGS)

format:
	@git ls-files '*.h' '*.cc' | xargs clang-format -i

clean:
	rm -rf build build-* 

# make fuzz [FUZZ_SECONDS=60]: clang libFuzzer builds of fuzz/*_fuzzer.cc
# (ASan+UBSan) in build-fuzz/, each run for FUZZ_SECONDS on a copy of its
# seed corpus. Crashes are saved under build-fuzz/artifacts/. Needs clang
# and libclang-rt-dev (not in `make deps`: the default build is GCC).
FUZZ_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZERS ?= $(patsubst fuzz/%_fuzzer.cc,%,$(wildcard fuzz/*_fuzzer.cc))

fuzz: deps
	@command -v clang++ >/dev/null || { echo "make fuzz: clang++ not found (apt-get install clang libclang-rt-dev)"; exit 1; }
	@CC=clang CXX=clang++ cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DAGENTHUB_FUZZ=ON -DAGENTHUB_BUILD_BENCHMARKS=OFF >/dev/null
	@cmake --build $(FUZZ_DIR) -j $(JOBS) --target $(addsuffix _fuzzer,$(FUZZERS))
	@mkdir -p $(FUZZ_DIR)/artifacts; failed=""; \
	for f in $(FUZZERS); do \
	  rm -rf $(FUZZ_DIR)/corpus/$$f; mkdir -p $(FUZZ_DIR)/corpus/$$f; \
	  cp fuzz/corpus/$$f/* $(FUZZ_DIR)/corpus/$$f/; \
	  echo "== $$f ($(FUZZ_SECONDS) s)"; \
	  $(FUZZ_DIR)/fuzz/$${f}_fuzzer -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_DIR)/artifacts/$$f- $(FUZZ_DIR)/corpus/$$f \
	    > $(FUZZ_DIR)/$$f.log 2>&1 || failed="$$failed $$f"; \
	  grep -E '^(stat::number_of_executed_units|stat::new_units_added|SUMMARY)' $(FUZZ_DIR)/$$f.log; \
	done; \
	if [ -n "$$failed" ]; then echo "make fuzz: crashes in:$$failed (see $(FUZZ_DIR)/<name>.log and $(FUZZ_DIR)/artifacts/)"; exit 1; fi; \
	echo "make fuzz: no crashes"
