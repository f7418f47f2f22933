// REDUCE_MAX / REDUCE_MIN and ARG_MAX / ARG_MIN on raw values of any
// arithmetic type (no requantization: the quantized ops require equal input
// and output quantization). Comparisons are TFLite's: an element replaces
// the current one only if strictly greater (max) / smaller (min), so NaN is
// skipped in reductions, ties keep the first (lowest) index.
#pragma once

#include <cstdint>

#include "kernels/reference/reduce_s8.h"

namespace pyrt {

// Every output starts at the type's lowest (max) / highest (min) value, so
// an empty reduction gives that value, as in TFLite.
template <typename T>
void ReduceMinMax(const ReducePlan& plan, bool is_max, const T* input, T* output);

// Input viewed as [outer][axis_size][inner], output [outer][inner]; the index
// along the axis of the max / min element. axis_size >= 1.
struct ArgMinMaxShape {
  int64_t outer = 1, axis_size = 1, inner = 1;
};

template <typename T, typename Index>
void ArgMinMax(const ArgMinMaxShape& s, bool is_max, const T* input, Index* output);

}  // namespace pyrt
