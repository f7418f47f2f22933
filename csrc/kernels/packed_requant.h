// The one stored form of per-channel requantization on the SIMD paths: each
// block of n output channels (a GEMM panel, a depthwise channel group) has
// its values packed right after its weights, and a kernel reads them through
// a Qs8GemmEpilogue view whose arrays index the block's channels from 0.
//
// Block layout, n values each: int32 bias (folded), then for gemmlowp int32
// multiplier, left_shift = max(shift, 0), right_shift = max(-shift, 0),
// rounding_mask = 2^right_shift - 1; for fp64 (FULLY_CONNECTED) double scale.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "kernels/qs8_gemm/ukernel.h"

namespace pyrt {

inline size_t GemmlowpRequantBytes(int n) { return static_cast<size_t>(n) * 5 * 4; }
inline size_t Fp64RequantBytes(int n) { return static_cast<size_t>(n) * (4 + 8); }

// Channel j of a gemmlowp block at q; updates the facts in `scalars`
// (start them false).
inline void WriteGemmlowpRequant(int32_t* q, int n, int j, int32_t bias, int32_t multiplier,
                                 int32_t shift, Qs8GemmEpilogue& scalars) {
  const int32_t left = std::max(shift, 0), right = std::max(-shift, 0);
  q[j] = bias;
  q[n + j] = multiplier;
  q[2 * n + j] = left;
  q[3 * n + j] = right;
  q[4 * n + j] = static_cast<int32_t>((int64_t{1} << right) - 1);
  scalars.any_left_shift |= left != 0;
  scalars.any_int32_min_multiplier |= multiplier == INT32_MIN;
  scalars.right_shifts_1_to_23 &= right >= 1 && right <= 23;
}

inline void WriteFp64Requant(int32_t* q, int n, int j, int32_t bias, double scale) {
  q[j] = bias;
  reinterpret_cast<double*>(q + n)[j] = scale;
}

// The epilogue of one block: the layer's scalars, arrays at its values.
inline Qs8GemmEpilogue RequantView(const Qs8GemmEpilogue& scalars, const int8_t* block, int n) {
  Qs8GemmEpilogue ep = scalars;
  const int32_t* q = reinterpret_cast<const int32_t*>(block);
  ep.bias = q;
  ep.multiplier = q + n;
  ep.left_shift = q + 2 * n;
  ep.right_shift = q + 3 * n;
  ep.rounding_mask = q + 4 * n;
  ep.scale = reinterpret_cast<const double*>(q + n);
  return ep;
}

// The scalars of a layer's epilogue, its facts as for no channel yet
// (updated as blocks are written).
inline Qs8GemmEpilogue EpilogueScalars(int32_t output_zero_point, int32_t act_min,
                                       int32_t act_max) {
  Qs8GemmEpilogue ep;
  ep.output_zero_point = output_zero_point;
  ep.act_min = act_min;
  ep.act_max = act_max;
  ep.any_left_shift = false;
  ep.any_int32_min_multiplier = false;
  ep.right_shifts_1_to_23 = true;
  return ep;
}

}  // namespace pyrt
