// int8 average pooling, 16 channels per step (kernels/pool_s8/average_pool_s8.h);
// callable only when the CPU has the avx512vnni path.
#pragma once

#include <cstdint>

#include "kernels/reference/pool_q.h"

namespace pyrt {

void AveragePoolS8Avx512(const PoolGeometry& g, const int8_t* input, int8_t* output, uint8_t* scratch);

}  // namespace pyrt
