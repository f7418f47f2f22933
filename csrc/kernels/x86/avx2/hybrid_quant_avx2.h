// AVX2 parts of the hybrid row quantizers (kernels/hybrid_quant.h): the same
// integers as the portable loops, 16 values per step.
#pragma once

#include <cstdint>

namespace pyrt {

// min / max of x[0..n); false (outputs unset) when x holds a NaN, so the
// caller falls back to std::minmax_element's exact semantics.
bool MinMaxNoNanAvx2(const float* x, int n, float* lo, float* hi);

// q[i] = clamp(RoundByHalfAdd(x[i] * inv) + zp, qmin, 127) for i < n / 16 * 16;
// returns the count done.
int QuantizeByHalfAddAvx2(const float* x, int n, float inv, int32_t zp, int32_t qmin, int8_t* q);

// The same levels minus zp as int16: q[i] = clamp(...) - zp.
int QuantizeByHalfAddS16Avx2(const float* x, int n, float inv, int32_t zp, int32_t qmin,
                             int16_t* q);

}  // namespace pyrt
