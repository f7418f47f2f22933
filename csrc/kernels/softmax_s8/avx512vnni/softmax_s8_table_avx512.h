// SoftmaxS8Tabulated (kernels/softmax_s8/softmax_s8_table.h) 16 lanes at a
// time: table lookups by vpgatherdd, the output's fixed-point multiply and
// rounding shift in zmm; callable only when the CPU has the avx512vnni path.
#pragma once

#include <cstdint>

#include "kernels/softmax_s8/softmax_s8_table.h"

namespace pyrt {

void SoftmaxS8TabulatedAvx512(const SoftmaxS8Table& t, int64_t rows, int depth, const int8_t* input,
                              int8_t* output);

}  // namespace pyrt
