# The short build. `make` builds ./mnist; `make test` builds every tests/test_*.cpp and runs them, printing a
# CTest-style summary (no CMake needed; CMakeLists.txt builds the same files for `ctest`, with the same
# switches: README.md, "Build switches"). Long recipes live in tools/ scripts, called from here.
# Switches: THREADS=0 builds without threads; NATIVE=0 leaves out -march=native (a portable build).
# CXX and CXXFLAGS are yours to override, e.g. `make CXX=clang++ CXXFLAGS=-O2`; CC and CFLAGS build the one C
# file of the tests (tests/export_c/, C as `mnist export-c` writes it).
# `make cross TARGET=<triplet>` / `make cross-test TARGET=<triplet>` build for another machine
# (aarch64-linux-gnu, arm-linux-gnueabihf, s390x-linux-gnu) and run the tests under qemu; `make embedded-test`
# runs an exported int8 model bare-metal on a Cortex-M4 under qemu-system-arm; `make fuzz`, `make fuzz-run`.

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
	@RUNNER="$(RUNNER)" tools/run-tests.sh $(TEST_BIN)

# Fuzzing (clang and Debian's libclang-rt-14-dev). `make fuzz` builds one libFuzzer binary per parser into
# obj-fuzz/, the library included, with address and undefined-behaviour checks that stop at the first report.
# `make fuzz-run SECONDS=60` runs each for that long from its seeds in fuzz/corpus/<harness>/ (tools/fuzz-run.sh
# says where its findings go, and its limits). `make fuzz-corpus` remakes the seeds.
FUZZ_CXX   ?= clang++
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_OBJ   := obj-fuzz
SECONDS    ?= 60
FUZZ_NAMES := fuzz_gunzip fuzz_inflate fuzz_idx fuzz_model fuzz_checkpoint fuzz_int8_model
# Image readers (codec/png_reader.*, pnm_reader.*, for `./mnist predict`). A new reader adds its harness here
# (fuzz/fuzz_<name>.cpp, an entry in fuzz/entry_points.h and tests/test_fuzz_regressions.cpp, seeds in
# fuzz/corpus/fuzz_<name>/ and tests/fuzz_regressions/fuzz_<name>/).
FUZZ_NAMES += fuzz_png fuzz_png_pixels fuzz_pnm

fuzz:
	$(MAKE) OBJ=$(FUZZ_OBJ) CXX="$(FUZZ_CXX)" CXXFLAGS="$(FUZZ_FLAGS)" NATIVE=0 fuzz-build

fuzz-build: $(FUZZ_NAMES:%=$(OBJ)/%)

$(OBJ)/fuzz_%: fuzz/fuzz_%.cpp fuzz/entry_points.h $(OBJ)/libmnist.a
	$(CXX) $(CXXFLAGS) $(MNIST_FLAGS) -MMD -MP -o $@ $< $(OBJ)/libmnist.a $(LDFLAGS)

fuzz-run: fuzz
	@tools/fuzz-run.sh $(FUZZ_OBJ) $(SECONDS) $(FUZZ_NAMES)

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

# Cross builds into build-<triplet>/ with <triplet>-g++, CROSS_CXXFLAGS and NATIVE=0; cross-test runs the test
# suite under qemu-<arch> (tools/cross.sh).
TARGET         ?=
CROSS_CXXFLAGS ?= -O2
CROSS_SH        = MAKE="$(MAKE)" CROSS_CXXFLAGS="$(CROSS_CXXFLAGS)" THREADS=$(THREADS) tools/cross.sh
cross:
	+@$(CROSS_SH) build "$(TARGET)"
cross-test:
	+@$(CROSS_SH) test "$(TARGET)"

# Bare metal: an int8 model, exported as C, runs on QEMU's Cortex-M4 and must give the host's scores
# (tools/embedded-test.sh). EMBEDDED_MODEL=FILE uses a trained model.bin (by default a quick one is trained);
# EMBEDDED_IMAGES test images go into the firmware.
EMBEDDED_MODEL  ?=
EMBEDDED_IMAGES ?= 300
EMBEDDED_DATA   ?= data
embedded-test: $(BIN)
	@tools/embedded-test.sh ./$(BIN) "$(EMBEDDED_MODEL)" $(EMBEDDED_IMAGES) $(EMBEDDED_DATA)

FORCE:

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)
