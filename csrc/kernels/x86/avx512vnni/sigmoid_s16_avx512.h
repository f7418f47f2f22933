// 16x8 LOGISTIC and TANH for the avx512vnni path: the AVX2 rows'
// arithmetic (kernels/x86/avx2/sigmoid_s16_avx2.h) on 16 lanes, masked
// tails; bit-identical to the reference.
#pragma once

#include <cstdint>

#include "kernels/reference/logistic_s16.h"

namespace pyrt {

void LogisticS16Avx512(const LogisticS16Params& p, const int16_t* in, int16_t* out, int64_t n);
void TanhS16Avx512(const LogisticS16Params& p, const int16_t* in, int16_t* out, int64_t n);

}  // namespace pyrt
