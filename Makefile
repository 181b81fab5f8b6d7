# The short build. `make` builds ./mnist; `make test` builds every tests/test_*.cpp and runs them, printing a
# CTest-style summary (no CMake needed; CMakeLists.txt builds the same files for `ctest`).
# `make THREADS=0` builds without threads, `make NATIVE=0` without -march=native (a portable build); CMake has the
# same switches (README.md, "Build switches"). `make cross TARGET=<triplet>` / `make cross-test TARGET=<triplet>`
# build for another machine (aarch64-linux-gnu, arm-linux-gnueabihf, s390x-linux-gnu) and run the tests under
# qemu. `make embedded-test` runs an exported int8 model bare-metal on a Cortex-M4 under qemu-system-arm.
# CXX and CXXFLAGS are yours to override, e.g. `make CXX=clang++ CXXFLAGS=-O2`; CC and CFLAGS build the one C
# file of the tests (tests/export_c/, C as `mnist export-c` writes it).

CXX      ?= g++
CXXFLAGS ?= -O3
THREADS  ?= 1
NATIVE   ?= 1
# Always on, whatever CXXFLAGS says: the language, the warnings, where headers live, and -fno-math-errno
# (std::sqrt need not set errno, so loops such as Adam's can use vector square roots; results are unchanged).
MNIST_FLAGS := -std=c++17 -Wall -Wextra -Wpedantic -fno-math-errno -Isrc
# NATIVE=1: -march=native, for this machine's CPU (the GEMM's tile follows its vector registers,
# docs/09-gemm.md). It comes after CXXFLAGS, so a -march of your own there wants NATIVE=0.
ifneq ($(NATIVE),0)
MNIST_FLAGS += -march=native
endif
# On x86-64, -mprefer-vector-width=512: g++ and clang++ otherwise use 256-bit vectors on Intel's AVX-512
# cores, where the GEMM's 8 x 32 register tile then spills and runs at half speed (docs/09-gemm.md). Given
# only to compilers that know it (not to ARM's, say); harmless on CPUs without AVX-512.
MNIST_FLAGS += $(shell $(CXX) -mprefer-vector-width=512 -x c++ -fsyntax-only /dev/null 2>/dev/null && echo -mprefer-vector-width=512)
ifeq ($(THREADS),0)
MNIST_FLAGS += -DMNIST_THREADS=0
else
MNIST_FLAGS += -pthread
endif
LDFLAGS  ?=
CC       ?= cc
CFLAGS   ?= -O2
# The exported C must build as strict, freestanding C99 without a warning: for it, warnings are errors.
EXPORT_CFLAGS := -std=c99 -Wall -Wextra -pedantic -Werror -ffreestanding
# Where objects and test binaries go. Sanitizer builds use their own folder, e.g.
# `make OBJ=obj-asan CXXFLAGS="-O1 -g -fsanitize=address,undefined" test`; their ./mnist goes there too.
OBJ      := obj
BIN      := $(if $(filter obj,$(OBJ)),mnist,$(OBJ)/mnist)
# A command put in front of every test binary (e.g. an emulator for cross builds).
RUNNER   ?=

LIB_SRC  := $(sort $(wildcard src/*/*.cpp))
LIB_SRC  := $(filter-out src/cli/main.cpp,$(LIB_SRC))
LIB_OBJ  := $(LIB_SRC:%.cpp=$(OBJ)/%.o)
TEST_SRC := $(sort $(wildcard tests/test_*.cpp))
TEST_BIN := $(TEST_SRC:tests/%.cpp=$(OBJ)/tests/%)

.PHONY: all test tests clean cross cross-test FORCE fuzz fuzz-build fuzz-run fuzz-corpus embedded-test
all: $(BIN)
tests: $(TEST_BIN)

$(BIN): $(OBJ)/src/cli/main.o $(OBJ)/libmnist.a
	$(CXX) $(CXXFLAGS) $(MNIST_FLAGS) -o $@ $^ $(LDFLAGS)

# Objects are rebuilt when the compiler or its flags change (a THREADS=0 or -Werror build after a plain one).
FLAGS_STAMP := $(OBJ)/compile-flags
$(FLAGS_STAMP): FORCE
	@mkdir -p $(OBJ)
	@echo '$(CXX) $(CXXFLAGS) $(MNIST_FLAGS) $(CC) $(CFLAGS)' | cmp -s - $@ || \
	  echo '$(CXX) $(CXXFLAGS) $(MNIST_FLAGS) $(CC) $(CFLAGS)' > $@

$(OBJ)/libmnist.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(OBJ)/%.o: %.cpp $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) $(MNIST_FLAGS) -MMD -MP -c $< -o $@

$(OBJ)/tests/%: tests/%.cpp $(OBJ)/libmnist.a $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) $(MNIST_FLAGS) -Itests -MMD -MP -o $@ $< $(TEST_C_OBJ) $(OBJ)/libmnist.a $(LDFLAGS)

# test_export_c links the C that `mnist export-c` wrote for a small network (tests/export_c/), built as C.
$(OBJ)/tests/test_export_c: TEST_C_OBJ = $(OBJ)/tests/export_c/mnist_model.o
$(OBJ)/tests/test_export_c: $(OBJ)/tests/export_c/mnist_model.o
$(OBJ)/tests/export_c/mnist_model.o: tests/export_c/mnist_model.c tests/export_c/mnist_model.h $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(EXPORT_CFLAGS) -c $< -o $@

# Runs each test binary from the top folder; 77 means skipped (CTest's SKIP_RETURN_CODE).
test: $(TEST_BIN) $(BIN)
	@pass=0; fail=0; skip=0; failed=""; total=$(words $(TEST_BIN)); i=0; \
	for t in $(TEST_BIN); do \
	  i=$$((i+1)); name=$$(basename $$t); start=$$(date +%s); \
	  $(RUNNER) $$t > $(OBJ)/tests/$$name.log 2>&1; rc=$$?; secs=$$(( $$(date +%s) - start )); \
	  if [ $$rc -eq 0 ]; then pass=$$((pass+1)); status="Passed"; \
	  elif [ $$rc -eq 77 ]; then skip=$$((skip+1)); status="Skipped"; \
	  else fail=$$((fail+1)); status="***Failed"; failed="$$failed $$name"; cat $(OBJ)/tests/$$name.log; fi; \
	  printf '%3d/%d Test: %-28s %s  %d s\n' $$i $$total $$name "$$status" $$secs; \
	done; \
	echo; echo "$$((pass*100/total))% tests passed, $$fail tests failed out of $$total ($$skip skipped)"; \
	if [ $$fail -ne 0 ]; then echo "The following tests FAILED:$$failed"; exit 1; fi

# Fuzzing (clang and Debian's libclang-rt-14-dev). `make fuzz` builds one libFuzzer binary per parser into
# obj-fuzz/, the library included, with address and undefined-behaviour checks that stop at the first report.
# `make fuzz-run SECONDS=60` runs each for that long from its seeds in fuzz/corpus/<harness>/ (read only),
# writing what it learns to obj-fuzz/corpus-<harness>/ and a crashing input to obj-fuzz/<harness>-crash-*.
# Limits: 5 s per input, 512 MB resident, 256 MB in one allocation; crossing one is a finding.
# `make fuzz-corpus` remakes the seeds (fuzz/make_corpus.py, fuzz/make_binary_seeds.cpp).
FUZZ_CXX   ?= clang++
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_OBJ   := obj-fuzz
SECONDS    ?= 60
FUZZ_NAMES := fuzz_gunzip fuzz_inflate fuzz_idx fuzz_model fuzz_checkpoint fuzz_int8_model
# Image readers (data/png_reader.*, pnm_reader.*, for `./mnist predict`). A new reader adds its harness here
# (fuzz/fuzz_<name>.cpp, an entry in fuzz/entry_points.h and tests/test_fuzz_regressions.cpp, seeds in
# fuzz/corpus/fuzz_<name>/ and tests/fuzz_regressions/fuzz_<name>/).
FUZZ_NAMES += fuzz_png fuzz_png_pixels fuzz_pnm
FUZZ_OPTS  := -timeout=5 -rss_limit_mb=512 -malloc_limit_mb=256 -print_final_stats=1

fuzz:
	$(MAKE) OBJ=$(FUZZ_OBJ) CXX="$(FUZZ_CXX)" CXXFLAGS="$(FUZZ_FLAGS)" NATIVE=0 fuzz-build

fuzz-build: $(FUZZ_NAMES:%=$(OBJ)/%)

$(OBJ)/fuzz_%: fuzz/fuzz_%.cpp fuzz/entry_points.h $(OBJ)/libmnist.a
	$(CXX) $(CXXFLAGS) $(MNIST_FLAGS) -MMD -MP -o $@ $< $(OBJ)/libmnist.a $(LDFLAGS)

# Prints, per harness, libFuzzer's final executions per second and total executions; fails on a finding.
fuzz-run: fuzz
	@status=0; summary=""; \
	for h in $(FUZZ_NAMES); do \
	  mkdir -p $(FUZZ_OBJ)/corpus-$$h; \
	  echo "=== $$h: $(SECONDS) s"; \
	  $(FUZZ_OBJ)/$$h $(FUZZ_OPTS) -max_total_time=$(SECONDS) -artifact_prefix=$(FUZZ_OBJ)/$$h- \
	    $(FUZZ_OBJ)/corpus-$$h fuzz/corpus/$$h > $(FUZZ_OBJ)/$$h.log 2>&1; rc=$$?; \
	  execs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $(FUZZ_OBJ)/$$h.log | tail -1); \
	  rate=$$(sed -n 's/^stat::average_exec_per_sec: *//p' $(FUZZ_OBJ)/$$h.log | tail -1); \
	  if [ $$rc -ne 0 ]; then status=1; tail -n 60 $(FUZZ_OBJ)/$$h.log; \
	    res="FINDING (exit $$rc, see $(FUZZ_OBJ)/$$h.log)"; else res="nothing found"; fi; \
	  line=$$(printf '%-16s %8s exec/s %12s executions  %s' $$h "$$rate" "$$execs" "$$res"); \
	  echo "$$line"; summary="$$summary$$line\n"; \
	done; \
	echo; printf "$$summary"; exit $$status

# Regenerates the seed corpus (small valid files of each kind) in fuzz/corpus/ and the hand-made
# nasty inputs in tests/fuzz_regressions/.
fuzz-corpus: $(OBJ)/fuzz/make_binary_seeds
	python3 fuzz/make_corpus.py
	$(OBJ)/fuzz/make_binary_seeds

$(OBJ)/fuzz/make_binary_seeds: fuzz/make_binary_seeds.cpp $(OBJ)/libmnist.a
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) $(MNIST_FLAGS) -MMD -MP -o $@ $< $(OBJ)/libmnist.a $(LDFLAGS)

clean:
	rm -rf $(OBJ) mnist $(FUZZ_OBJ) obj-embedded

# Cross builds into build-<triplet>/ with <triplet>-g++ and portable flags (NATIVE=0: the portable
# GEMM kernel is what runs there); cross-test runs the test suite under qemu-<arch> with the target's
# libraries (-L /usr/<triplet>), telling the tests they are emulated (MNIST_TEST_QUICK=1: less training).
TARGET         ?=
CROSS_CXXFLAGS ?= -O2
CROSS_MAKE      = $(MAKE) --no-print-directory OBJ=build-$(TARGET) BIN=build-$(TARGET)/mnist CXX=$(TARGET)-g++ \
                  CC=$(TARGET)-gcc CXXFLAGS="$(CROSS_CXXFLAGS)" CFLAGS="$(CROSS_CXXFLAGS)" THREADS=$(THREADS) NATIVE=0
cross:
	@test -n "$(TARGET)" || { echo "usage: make cross TARGET=<triplet>, e.g. aarch64-linux-gnu"; exit 2; }
	@tools/cross-setup.sh $(TARGET)
	+@$(CROSS_MAKE) build-$(TARGET)/mnist tests

cross-test: cross
	+@MNIST_TEST_QUICK=1 $(CROSS_MAKE) RUNNER="qemu-$(firstword $(subst -, ,$(TARGET))) -L /usr/$(TARGET)" test

# Bare metal: `make embedded-test` runs an int8 model, exported as C (`mnist export-c`), on QEMU's mps2-an386
# board (a Cortex-M4) with the first EMBEDDED_IMAGES test images built into the firmware (embedded/). The
# firmware prints its accuracy and the CRC-32 of all its scores beside the host's, and fails unless they match.
# tools/embedded-setup.sh installs gcc-arm-none-eabi and qemu-system-arm when missing. EMBEDDED_MODEL=FILE uses
# a trained model.bin; by default a quick one is trained first (the report's network, 10,000 images, 1 epoch).
# The link fails if the firmware would not fit 1 MB of flash and 128 KB of RAM (embedded/mps2-an386.ld; the
# test images, up to 10,000, sit apart in the board's PSRAM), and the test fails if mnist_predict's frame
# (-fstack-usage) is larger than the header states.
EMBEDDED_MODEL  ?=
EMBEDDED_IMAGES ?= 300
EMBEDDED_DATA   ?= data
EMB             := obj-embedded
ARM_CFLAGS      := -std=c99 -Wall -Wextra -pedantic -Werror -O2 -mcpu=cortex-m4 -mthumb -mfloat-abi=soft \
                   -ffreestanding -ffunction-sections -fdata-sections -fstack-usage
embedded-test: $(BIN)
	@tools/embedded-setup.sh
	@rm -rf $(EMB) && mkdir -p $(EMB)
	@if [ -n "$(EMBEDDED_MODEL)" ]; then cp "$(EMBEDDED_MODEL)" $(EMB)/model.bin; else \
	  echo "embedded-test: training a quick model (784-512-256-128-10 on 10,000 images, 1 epoch) ..."; \
	  ./$(BIN) train --data $(EMBEDDED_DATA) --out $(EMB)/run --limit 10000 --epochs 1 --quiet --no-eda \
	    > $(EMB)/train.log && cp $(EMB)/run/model.bin $(EMB)/model.bin || { cat $(EMB)/train.log; exit 1; }; fi
	./$(BIN) quantize --model $(EMB)/model.bin --out $(EMB)/model-int8.bin --data $(EMBEDDED_DATA) \
	  > $(EMB)/quantize.log
	./$(BIN) export-c --model $(EMB)/model-int8.bin --out $(EMB)/c --test-images $(EMBEDDED_IMAGES) \
	  --data $(EMBEDDED_DATA)
	cd $(EMB) && for f in ../embedded/main.c ../embedded/startup.c ../embedded/semihosting.c c/mnist_model.c; do \
	  arm-none-eabi-gcc $(ARM_CFLAGS) -Ic -I../embedded -c $$f -o $$(basename $$f .c).o || exit 1; done
	cd $(EMB) && arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -mfloat-abi=soft -nostdlib -nostartfiles \
	  -T ../embedded/mps2-an386.ld -Wl,--gc-sections -Wl,-Map=firmware.map -o firmware.elf \
	  main.o startup.o semihosting.o mnist_model.o -lgcc
	@test -z "$$(arm-none-eabi-nm -u $(EMB)/mnist_model.o)" || \
	  { echo "embedded-test: the exported C calls something:"; arm-none-eabi-nm -u $(EMB)/mnist_model.o; exit 1; }
	@arm-none-eabi-size -A $(EMB)/firmware.elf | sed -n '/^section/,/^\.stack/p'
	@arm-none-eabi-size $(EMB)/mnist_model.o
	@frame=$$(sed -n 's/.*:mnist_predict[[:space:]]*\([0-9]*\)[[:space:]].*/\1/p' $(EMB)/mnist_model.su); \
	  width=$$(sed -n 's/^#define MNIST_MAX_WIDTH \([0-9]*\)/\1/p' $(EMB)/c/mnist_model.h); \
	  extra=$$(sed -n 's/^#define MNIST_STACK_BYTES_MAX (MNIST_STACK_BUFFER_BYTES + \([0-9]*\))/\1/p' \
	    $(EMB)/c/mnist_model.h); \
	  echo "mnist_predict's stack frame: $$frame bytes (-fstack-usage); the header's bound: $$((2 * width + extra))"; \
	  test -n "$$frame" && test "$$frame" -le $$((2 * width + extra))
	timeout 300 qemu-system-arm -M mps2-an386 -nographic -monitor none -serial none \
	  -semihosting-config enable=on,target=native -kernel $(EMB)/firmware.elf

FORCE:

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)
