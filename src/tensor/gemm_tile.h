// The register tile and cache blocks of our GEMM, in one place for gemm.cpp and for the teaching stages of
// gemm_stages.cpp (which must use the same tile to show what it is worth). What each size is for, and how
// they follow from the FMA unit's latency and throughput and the caches: docs/09-gemm.md.
#pragma once

#include <cstddef>

namespace mnist {

// MR x NR is the tile of C that the micro-kernel keeps in vector registers while it streams through k.
// It is the only size that depends on the instruction set: MR * NR / (floats per register) accumulators
// plus a few registers for the operands must fit in the register file.
//   AVX-512: 32 registers of 16 floats; 8 x 32 uses 16 accumulators, 2 for B and 1 for A.
//   AVX/AVX2: 16 registers of 8 floats; 4 x 24 uses 12 accumulators, 3 for B and 1 for A. (6 x 16 fits
//     as well on paper, but g++ 12 does not keep that tile in registers; 4 x 24 it does. Read the -S.)
//   Otherwise (SSE2, NEON: 4 floats): 4 x 8 uses 8 accumulators.
// Either way there are at least latency x throughput independent multiply-adds in flight (4 cycles x 2 per
// cycle = 8 on the cores we measured), so the FMA units never wait for a result.
#if defined(__AVX512F__)
constexpr size_t MR = 8, NR = 32;
#elif defined(__AVX__)
constexpr size_t MR = 4, NR = 24;
#else
constexpr size_t MR = 4, NR = 8;
#endif
// KC: the depth of one rank-kc update. An MR x KC sliver of A and a KC x NR sliver of B are what the
//     micro-kernel reads for one tile; with KC = 256 the B sliver is 32 KB at NR = 32 and the A sliver 8 KB:
//     together they fit a 48 KB L1 data cache (the Intel Xeon's), not a 32 KB one (AMD Zen 4's), where B
//     comes from L2 (docs/09-gemm.md derives the bound, KC <= 307 for 48 KB, and confirms it with a KC sweep:
//     flat from 128 to 320, lower beyond). K is cut into equal blocks of at most KC
//     (784 -> 4 x 196), so no block is a sliver. The cut depends only on K: never on the thread count.
constexpr size_t KC = 256;
// MC x KC: the block of A packed for one task, reused across all of the task's NR-wide columns: about
//     128 x 256 floats = 128 KB, resident in L2 (1-2 MB per core on the machines we measured). 128 rounded
//     up to whole MR slivers, so that a batch of 128 is one block whatever MR is.
constexpr size_t MC = (128 + MR - 1) / MR * MR;
// KC x NC: the block of B packed at a time, reused across all of the task's MR-high rows: about 256 x 128
//     floats = 128 KB, also in L2 beside A's block (128 rounded up to whole NR slivers).
constexpr size_t NC = (128 + NR - 1) / NR * NR;
static_assert(MC % MR == 0 && NC % NR == 0, "cache blocks must hold whole register tiles");

}  // namespace mnist
