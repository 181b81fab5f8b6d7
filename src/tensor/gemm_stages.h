// The road from the textbook triple loop to our gemm, one step at a time, as docs/09-gemm.md tells it:
// each function is a complete C = A * B (row-major, no transposes, C overwritten) one idea further than the
// one before. Nothing in training uses them; `mnist bench --stages` times them so the reader can see what
// each idea is worth on their own machine. The last two steps are gemm itself (gemm.h) on 1 and N threads.
#pragma once

#include "tensor/matrix.h"

namespace mnist {

// Step 1: for i, for j, for p: C[i][j] += A[i][p] * B[p][j]. The inner loop walks down a column of B, a new
// cache line for every multiply-add, and is a chain of dependent additions.
void gemm_stage_naive(ConstMatrixView a, ConstMatrixView b, MatrixView c);

// Step 2: loop order i, p, j: C's row i += A[i][p] * B's row p. Both rows are read with unit stride and the
// j loop has no dependence between iterations, so the compiler vectorises it.
void gemm_stage_loop_order(ConstMatrixView a, ConstMatrixView b, MatrixView c);

// Step 3: step 2 inside cache blocks: a KC x NC block of B and an MC x KC block of A are reused while they
// sit in cache, instead of streaming all of B from memory for every row of C.
void gemm_stage_blocked(ConstMatrixView a, ConstMatrixView b, MatrixView c);

// Step 4: step 3 with each block first copied ("packed") into a contiguous buffer, so the inner loops read
// memory in order with no stride jumps and no cache-set conflicts.
void gemm_stage_packed(ConstMatrixView a, ConstMatrixView b, MatrixView c);

}  // namespace mnist
