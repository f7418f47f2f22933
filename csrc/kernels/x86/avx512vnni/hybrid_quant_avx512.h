// AVX-512 parts of the hybrid row quantizers (kernels/hybrid_quant.h): the
// same integers as the portable loops and the AVX2 ones, 16 values a vector.
#pragma once

#include <cstdint>

namespace pyrt {

// min / max of x[0..n); false (outputs unset) when x holds a NaN, so the
// caller falls back to std::minmax_element's exact semantics.
bool MinMaxNoNanAvx512(const float* x, int n, float* lo, float* hi);

// q[i] = clamp(RoundByHalfAdd(x[i] * inv) + zp, qmin, 127) for i < n / 16 * 16;
// returns the count done.
int QuantizeByHalfAddAvx512(const float* x, int n, float inv, int32_t zp, int32_t qmin,
                            int8_t* q);

}  // namespace pyrt
