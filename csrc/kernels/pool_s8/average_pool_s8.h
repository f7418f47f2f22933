// int8 AVERAGE_POOL_2D on the interpreter's ISA path: the reference
// (kernels/reference/pool_q.h AveragePoolQ) or SIMD twins that sum each
// window over 8 / 16 channels in int32 lanes and divide exactly: the
// quotient of a float multiply by 1/count, corrected by one either way
// with integer compares, so it equals the reference's integer division.
#pragma once

#include <cstdint>

#include "kernels/isa.h"
#include "kernels/reference/pool_q.h"

namespace pyrt {

using AveragePoolS8Fn = void (*)(const PoolGeometry& g, const int8_t* input, int8_t* output,
                                 uint8_t* scratch);

// The SIMD twins need windows of at most this many cells (sums and the
// float quotient stay exact well inside it).
constexpr int kMaxSimdAveragePoolCells = 1 << 16;

AveragePoolS8Fn AveragePoolS8For(Isa isa, const PoolGeometry& g);

}  // namespace pyrt
