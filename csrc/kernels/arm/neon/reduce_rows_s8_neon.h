// Sums rows of int8 into int32 (wrapping adds) with AArch64 NEON: 16 columns
// per step, rows added in int16 (saddw) for up to 256 rows at a time, then
// widened into the int32 sums; the AccumulateRowsS8Fn of every Arm path.
#pragma once

#include <cstdint>

namespace pyrt {

void AccumulateRowsS8Neon(const int8_t* in, int64_t rows, int64_t n, int32_t* sums);

}  // namespace pyrt
