// Sums of int8 weight rows, for folding zero points and the +128 offset of
// u8 dot-product paths into int32 biases at load.
#pragma once

#include <cstdint>

namespace pyrt {

// sums[r] = the sum of row r's K values (row stride K), wrapping mod 2^32
// like the reference's int32 accumulation.
void WeightRowSumsS8(const int8_t* w, int64_t rows, int64_t K, int32_t* sums);

}  // namespace pyrt
