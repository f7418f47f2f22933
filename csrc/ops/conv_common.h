// Shared Prepare helpers of the convolution-like ops.
#pragma once

#include <cstdint>
#include <vector>

#include "model/op_options.h"
#include "runtime/tensor.h"

namespace pyrt {

struct PaddedSize {
  int out;  // output size along the dimension
  int pad;  // padding before the first element (the smaller half)
};

// Largest input extent a (dilated) window may span, so that every index a
// kernel computes stays far inside int32.
constexpr int64_t kMaxConvSpan = int64_t{1} << 30;

// TFLite's ComputeOutSize + ComputePaddingWithOffset for one dimension.
// out is <= 0 when a VALID window does not fit, and -1 when the window or
// the span of all windows exceeds kMaxConvSpan (callers reject both).
PaddedSize ComputePadding(Padding padding, int in, int filter, int stride, int dilation);

// Reads an int32 bias (size n) or returns zeros when `bias` is null.
std::vector<int32_t> ReadBias(const Tensor* bias, int n);

// bias[c] - input_zero_point * sum_k filter[c][k] for filter rows of length K.
std::vector<int32_t> FoldInputZeroPoint(std::vector<int32_t> bias, const int8_t* filter, int K,
                                        int32_t input_zero_point);

}  // namespace pyrt
