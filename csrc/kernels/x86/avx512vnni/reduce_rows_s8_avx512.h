// Sums rows of int8 into int32 (wrapping adds) with AVX-512: 64 columns per
// step in four accumulators; the AccumulateRowsS8Fn of the avx512vnni path.
#pragma once

#include <cstdint>

namespace pyrt {

void AccumulateRowsS8Avx512(const int8_t* in, int64_t rows, int64_t n, int32_t* sums);

}  // namespace pyrt
