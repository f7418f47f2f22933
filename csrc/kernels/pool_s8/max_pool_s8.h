// int8 MAX_POOL_2D on the interpreter's ISA path: the reference
// (kernels/reference/pool_q.h MaxPoolQ) or SIMD twins taking the maximum of
// each clipped window over 32 / 16 / 8 channels at a time (max is exact:
// every path gives the same bytes).
#pragma once

#include <cstdint>

#include "kernels/isa.h"
#include "kernels/reference/pool_q.h"

namespace pyrt {

using MaxPoolS8Fn = void (*)(const PoolGeometry& g, const int8_t* input, int8_t* output);

MaxPoolS8Fn MaxPoolS8For(Isa isa);

}  // namespace pyrt
