// Sums rows of int8 into int32 (wrapping adds) with AVX2: 32 columns per step
// in four accumulators; the AccumulateRowsS8Fn of the avx2 path.
#pragma once

#include <cstdint>

namespace pyrt {

void AccumulateRowsS8Avx2(const int8_t* in, int64_t rows, int64_t n, int32_t* sums);

}  // namespace pyrt
