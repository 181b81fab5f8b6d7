# The short build. `make` builds ./mnist; `make test` builds every tests/test_*.cpp and runs them, printing a
# CTest-style summary (no CMake needed; CMakeLists.txt builds the same files for `ctest`).
# Cross builds override CXX and CXXFLAGS, e.g. `make CXX=aarch64-linux-gnu-g++ CXXFLAGS=-O3`.

CXX      ?= g++
CXXFLAGS ?= -O3 -march=native
# Always on, whatever CXXFLAGS says: the language, the warnings, where headers live, and -fno-math-errno
# (std::sqrt need not set errno, so loops such as Adam's can use vector square roots; results are unchanged).
MNIST_FLAGS := -std=c++17 -Wall -Wextra -Wpedantic -fno-math-errno -Isrc -pthread
LDFLAGS  ?=
OBJ      := obj

LIB_SRC  := $(sort $(wildcard src/*/*.cpp))
LIB_SRC  := $(filter-out src/cli/main.cpp,$(LIB_SRC))
LIB_OBJ  := $(LIB_SRC:%.cpp=$(OBJ)/%.o)
TEST_SRC := $(sort $(wildcard tests/test_*.cpp))
TEST_BIN := $(TEST_SRC:tests/%.cpp=$(OBJ)/tests/%)

.PHONY: all test clean
all: mnist

mnist: $(OBJ)/src/cli/main.o $(OBJ)/libmnist.a
	$(CXX) $(CXXFLAGS) $(MNIST_FLAGS) -o $@ $^ $(LDFLAGS)

$(OBJ)/libmnist.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(OBJ)/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) $(MNIST_FLAGS) -MMD -MP -c $< -o $@

$(OBJ)/tests/%: tests/%.cpp $(OBJ)/libmnist.a
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) $(MNIST_FLAGS) -Itests -MMD -MP -o $@ $< $(OBJ)/libmnist.a $(LDFLAGS)

# Runs each test binary from the top folder; 77 means skipped (CTest's SKIP_RETURN_CODE).
test: $(TEST_BIN) mnist
	@pass=0; fail=0; skip=0; failed=""; total=$(words $(TEST_BIN)); i=0; \
	for t in $(TEST_BIN); do \
	  i=$$((i+1)); name=$$(basename $$t); start=$$(date +%s); \
	  $$t > $(OBJ)/tests/$$name.log 2>&1; rc=$$?; secs=$$(( $$(date +%s) - start )); \
	  if [ $$rc -eq 0 ]; then pass=$$((pass+1)); status="Passed"; \
	  elif [ $$rc -eq 77 ]; then skip=$$((skip+1)); status="Skipped"; \
	  else fail=$$((fail+1)); status="***Failed"; failed="$$failed $$name"; cat $(OBJ)/tests/$$name.log; fi; \
	  printf '%3d/%d Test: %-28s %s  %d s\n' $$i $$total $$name "$$status" $$secs; \
	done; \
	echo; echo "$$((pass*100/total))% tests passed, $$fail tests failed out of $$total ($$skip skipped)"; \
	if [ $$fail -ne 0 ]; then echo "The following tests FAILED:$$failed"; exit 1; fi

clean:
	rm -rf $(OBJ) mnist

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)
