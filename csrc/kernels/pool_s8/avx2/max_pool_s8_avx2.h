// int8 max pooling, 32 / 16 / 8 channels per step
// (kernels/pool_s8/max_pool_s8.h); callable only when the CPU has AVX2.
#pragma once

#include <cstdint>

#include "kernels/reference/pool_q.h"

namespace pyrt {

void MaxPoolS8Avx2(const PoolGeometry& g, const int8_t* input, int8_t* output);

}  // namespace pyrt
