// BATCH_MATMUL with int16 lhs and int16 or int8 rhs (reference
// BatchMatMul<T, int64_t>): exact int64 sums of lhs * rhs (zero points are
// 0, as the reference requires for int16), then the int64
// MultiplyByQuantizedMultiplier (16-bit rounded multiplier, one rounding
// shift), clamped to int16. Geometry as the int8 and float kernels.
#pragma once

#include <cstdint>

#include "kernels/reference/batch_matmul.h"

namespace pyrt {

struct BatchMatMulS16Quant {
  int32_t multiplier;
  int shift;  // -31..14
};

template <typename Rhs>
void BatchMatMulS16(const BatchMatMulGeometry& g, const BatchMatMulS16Quant& q, const int16_t* lhs,
                    const Rhs* rhs, int16_t* output);

}  // namespace pyrt
