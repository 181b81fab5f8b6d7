// The road from the textbook triple loop to our gemm, one step at a time, as docs/09-gemm.md tells it:
// each function is a complete C = A * B (row-major, no transposes, C overwritten) one idea further than the
// one before. Nothing in training uses them; `mnist bench` times them on one size and `mnist gemm-stages`
// over a range of sizes (with a plot, a KC sweep and the FMA unit's latency and throughput), so the reader
// can see what each idea is worth on their own machine. The last steps are gemm itself (gemm.h) on 1 and N
// threads.
#pragma once

#include <vector>

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

// Step 5: the register tile alone. An MR x NR tile of C (gemm_tile.h) is held in registers for the whole
// k loop while A is read down its columns and B along its rows where they lie: no blocks, no packing. The
// loads and stores of C that limit steps 2-4 are gone; what is left is what the tile is worth by itself.
void gemm_stage_register_tile(ConstMatrixView a, ConstMatrixView b, MatrixView c);

// Step 6: packing, cache blocks and the register tile together, in gemm's loop order, on one thread, with
// the block sizes as arguments (gemm's are the constants of gemm_tile.h), so that a sweep over kc can test
// that choice. `scratch` holds the packed blocks (resized here, so a sweep allocates once per size).
struct StageBlocks {
    size_t kc = 256, mc = 128, nc = 128;  // rounded up to whole register tiles
};
void gemm_stage_tiled(ConstMatrixView a, ConstMatrixView b, MatrixView c, const StageBlocks& blocks,
                      std::vector<float>& scratch);

// The FMA unit, for deriving the tile: `steps` multiply-adds x = x * m + c that each wait for the previous
// one (their time per step is the latency), and `steps` rounds of kFmaChains x kFmaWidth independent ones
// (their time per round gives the throughput). Each returns a value so the compiler must do the work.
constexpr size_t kFmaChains = 16, kFmaWidth = 16;
float fma_dependent_chain(size_t steps, float x, float m, float c);
float fma_independent_chains(size_t steps, float x, float m, float c);

}  // namespace mnist
