// Quantized 8-bit MEAN / SUM over any set of axes, bit-exact with TFLite's
// reference_ops::QuantizedMeanOrSum: raw values are summed in int32, the zero
// point is removed once per output, and the result is rescaled with one
// multiplier (for MEAN with 1/count folded into it by truncating division).
#pragma once

#include <cstdint>
#include <vector>

#include "quant/multiplier.h"

namespace pyrt {

// Input dims with size-1 dims dropped and neighbours that are both reduced
// or both kept merged, so a spatial mean of [N,H,W,C] walks [N][H*W][C].
struct ReducePlan {
  std::vector<int64_t> dims;        // collapsed input dims, outermost first
  std::vector<int64_t> out_stride;  // output stride per collapsed dim; 0 = reduced
  int64_t num_inputs = 0;
  int64_t num_outputs = 0;
};

// `reduced[i]` tells whether input dim i is reduced.
ReducePlan MakeReducePlan(const std::vector<int32_t>& in_shape, const std::vector<bool>& reduced);

struct QuantizedReduceParams {
  int32_t input_zero_point = 0;
  int64_t count = 1;  // input elements per output
  QuantizedMultiplier rescale;  // for MEAN already folded with 1/count
  int32_t output_zero_point = 0;
  int32_t out_min = -128, out_max = 127;  // the output type's range
};

// The 1/count fold of QuantizedMeanOrSum: multiplier * 2^k / count (int64,
// truncating) with k = floor(log2(count)) capped at 32 and at 31 + shift.
QuantizedMultiplier FoldMeanCount(QuantizedMultiplier q, int64_t count);

// Adds `rows` rows of n int8 values (row stride n) into sums[0..n), with
// wrapping int32 adds: a SIMD path's loop for the common spatial mean
// (kernels/reduce_rows_s8_kernel.h).
using AccumulateRowsS8Fn = void (*)(const int8_t* in, int64_t rows, int64_t n, int32_t* sums);

// `sums` is scratch of plan.num_outputs int32. An empty input gives zeros.
// rows_fn (int8 only; nullptr: portable loops) sums each block of a reduced
// dim followed by the innermost kept dim.
template <typename T>
void QuantizedReduceSum(const ReducePlan& plan, const QuantizedReduceParams& p, const T* input,
                        T* output, int32_t* sums, AccumulateRowsS8Fn rows_fn = nullptr);

// Its last step: the outputs from the raw int32 sums of each output (the
// callers that sum the rows themselves, e.g. split over threads).
template <typename T>
void FinishQuantizedReduce(const ReducePlan& plan, const QuantizedReduceParams& p,
                           const int32_t* sums, T* output);

}  // namespace pyrt
