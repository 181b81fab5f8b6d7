# The short build. `make` builds ./mnist; `make test` builds every tests/test_*.cpp and runs them, printing a
# CTest-style summary (no CMake needed; CMakeLists.txt builds the same files for `ctest`).
# `make THREADS=0` builds without threads. `make cross TARGET=<triplet>` / `make cross-test TARGET=<triplet>`
# build for another machine (aarch64-linux-gnu, arm-linux-gnueabihf, s390x-linux-gnu) and run the tests under
# qemu. CXX and CXXFLAGS are yours to override, e.g. `make CXX=clang++ CXXFLAGS=-O2`.

CXX      ?= g++
CXXFLAGS ?= -O3 -march=native
THREADS  ?= 1
# Always on, whatever CXXFLAGS says: the language, the warnings, where headers live, and -fno-math-errno
# (std::sqrt need not set errno, so loops such as Adam's can use vector square roots; results are unchanged).
MNIST_FLAGS := -std=c++17 -Wall -Wextra -Wpedantic -fno-math-errno -Isrc
ifeq ($(THREADS),0)
MNIST_FLAGS += -DMNIST_THREADS=0
else
MNIST_FLAGS += -pthread
endif
LDFLAGS  ?=
OBJ      := obj
BIN      := mnist
# A command put in front of every test binary (e.g. an emulator for cross builds).
RUNNER   ?=

LIB_SRC  := $(sort $(wildcard src/*/*.cpp))
LIB_SRC  := $(filter-out src/cli/main.cpp,$(LIB_SRC))
LIB_OBJ  := $(LIB_SRC:%.cpp=$(OBJ)/%.o)
TEST_SRC := $(sort $(wildcard tests/test_*.cpp))
TEST_BIN := $(TEST_SRC:tests/%.cpp=$(OBJ)/tests/%)

.PHONY: all test tests clean cross cross-test FORCE
all: $(BIN)
tests: $(TEST_BIN)

$(BIN): $(OBJ)/src/cli/main.o $(OBJ)/libmnist.a
	$(CXX) $(CXXFLAGS) $(MNIST_FLAGS) -o $@ $^ $(LDFLAGS)

# Objects are rebuilt when the compiler or its flags change (a THREADS=0 or -Werror build after a plain one).
FLAGS_STAMP := $(OBJ)/compile-flags
$(FLAGS_STAMP): FORCE
	@mkdir -p $(OBJ)
	@echo '$(CXX) $(CXXFLAGS) $(MNIST_FLAGS)' | cmp -s - $@ || echo '$(CXX) $(CXXFLAGS) $(MNIST_FLAGS)' > $@

$(OBJ)/libmnist.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(OBJ)/%.o: %.cpp $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) $(MNIST_FLAGS) -MMD -MP -c $< -o $@

$(OBJ)/tests/%: tests/%.cpp $(OBJ)/libmnist.a $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) $(MNIST_FLAGS) -Itests -MMD -MP -o $@ $< $(OBJ)/libmnist.a $(LDFLAGS)

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

clean:
	rm -rf $(OBJ) mnist

# Cross builds into build-<triplet>/ with <triplet>-g++ and portable flags (never -march=native: the portable
# GEMM kernel is what runs there); cross-test runs the test suite under qemu-<arch> with the target's
# libraries (-L /usr/<triplet>), telling the tests they are emulated (MNIST_TEST_QUICK=1: less training).
TARGET         ?=
CROSS_CXXFLAGS ?= -O2
CROSS_MAKE      = $(MAKE) --no-print-directory OBJ=build-$(TARGET) BIN=build-$(TARGET)/mnist CXX=$(TARGET)-g++ \
                  CXXFLAGS="$(CROSS_CXXFLAGS)" THREADS=$(THREADS)
cross:
	@test -n "$(TARGET)" || { echo "usage: make cross TARGET=<triplet>, e.g. aarch64-linux-gnu"; exit 2; }
	@tools/cross-setup.sh $(TARGET)
	+@$(CROSS_MAKE) build-$(TARGET)/mnist tests

cross-test: cross
	+@MNIST_TEST_QUICK=1 $(CROSS_MAKE) RUNNER="qemu-$(firstword $(subst -, ,$(TARGET))) -L /usr/$(TARGET)" test

FORCE:

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)
