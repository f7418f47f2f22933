// Throughput loop for the peak-MAC microbenchmark (bench/peak_macs.py).
#pragma once

#include <cstdint>

namespace pyrt {

// Runs `iterations` rounds of 8 independent vpmaddwd products, each added
// into its own accumulator (the
// int16 dot product our exact AVX2 GEMM is built on: 16 MACs each) and
// returns a checksum so the work cannot be optimized away.
int32_t Avx2MaddwdThroughputLoop(int64_t iterations);
constexpr int64_t kAvx2MaddwdMacsPerIteration = 8 * 16;

// Same with vpmaddubsw (u8 x s8 pairs into saturating int16: 32 MACs each).
// Faster but not exact for all inputs, so no kernel of ours uses it: it is
// reported as the ceiling a non-exact kernel could reach.
int32_t Avx2MaddubswThroughputLoop(int64_t iterations);
constexpr int64_t kAvx2MaddubswMacsPerIteration = 8 * 32;

}  // namespace pyrt
