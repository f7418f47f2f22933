// Sums of int8 weight rows, for folding zero points and the +128 offset of
// u8 dot-product paths into int32 biases at load.
#pragma once

#include <cstdint>
#include <vector>

namespace pyrt {

// sums[r] = the sum of row r's K values (row stride K), wrapping mod 2^32
// like the reference's int32 accumulation.
void WeightRowSumsS8(const int8_t* w, int64_t rows, int64_t K, int32_t* sums);

// bias[c] - input_zero_point * sum_k filter[c][k] for filter rows of length
// K (wrapping, as the reference's int32 accumulation): the bias of a GEMM
// whose padding holds the input zero point, which this cancels.
std::vector<int32_t> FoldInputZeroPoint(std::vector<int32_t> bias, const int8_t* filter, int K,
                                        int32_t input_zero_point);

}  // namespace pyrt
