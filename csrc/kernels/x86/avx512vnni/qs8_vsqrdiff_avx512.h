// SQUARED_DIFFERENCE int8 rows, 16 lanes (kernels/sqrdiff_s8_kernel.h);
// callable only when the CPU has the avx512vnni path.
#pragma once

#include <cstdint>

#include "kernels/sqrdiff_s8_kernel.h"

namespace pyrt {

void Qs8SquaredDifferenceRowAvx512(const SquaredDifferenceTables& t, const int8_t* a, int64_t sa,
                                   const int8_t* b, int64_t sb, int8_t* out, int64_t n);

}  // namespace pyrt
