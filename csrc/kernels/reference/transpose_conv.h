// TRANSPOSE_CONV kernels (NHWC input, [out_c][h][w][in_c] filter).
//
// The reference scatters every input pixel into an int32 (float) output
// buffer; we gather instead: output pixel (oy, ox) receives filter tap
// (fy, fx) from input (iy, ix) when oy = iy * stride_h - pad_top + fy (same
// for x). int32 sums wrap modulo 2^32 in any order, so the int8 results are
// identical to the scatter's; float sums differ only in rounding order.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/conv_geometry.h"
#include "kernels/isa.h"
#include "kernels/reference/requant.h"

namespace pyrt {

class ThreadPool;

// Most workers that run at once (scratch holds one accumulator row each).
constexpr int kTransposeConvSlots = 8;

// Scratch of TransposeConvS8: out_c accumulators per worker and the input
// minus its zero point as int16 (so dot products vectorize). Output rows are
// split across the pool's threads.
size_t TransposeConvS8ScratchBytes(const ConvGeometry& g);

// g.dilation_* are ignored (TRANSPOSE_CONV has none). filter: the int8
// weights widened to int16. rq.bias is the raw bias (zero when absent).
void TransposeConvS8(Isa isa, const ConvGeometry& g, const int8_t* input, const int16_t* filter,
                     int32_t input_zero_point, const ChannelRequant& rq, int8_t* output,
                     uint8_t* scratch, ThreadPool* pool);

// Scratch of TransposeConvF32: out_c accumulators per worker.
size_t TransposeConvF32ScratchBytes(const ConvGeometry& g);

// bias: out_c floats or null; the result is clamped to [act_min, act_max].
// Portable loops: the reference path's spec (the others run
// TransposeConvF32Kernel).
void TransposeConvF32(const ConvGeometry& g, const float* input, const float* filter,
                      const float* bias, float act_min, float act_max, float* output,
                      uint8_t* scratch, ThreadPool* pool);

}  // namespace pyrt
