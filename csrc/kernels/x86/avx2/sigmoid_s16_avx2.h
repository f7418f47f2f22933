// 16x8 LOGISTIC and TANH for AVX2: LogisticS16 / TanhS16
// (kernels/reference/logistic_s16.h) 8 lanes at a time, the table's two
// neighbours fetched by one gather, bit-identical to the reference.
#pragma once

#include <cstdint>

#include "kernels/reference/logistic_s16.h"

namespace pyrt {

void LogisticS16Avx2(const LogisticS16Params& p, const int16_t* in, int16_t* out, int64_t n);
void TanhS16Avx2(const LogisticS16Params& p, const int16_t* in, int16_t* out, int64_t n);

}  // namespace pyrt
