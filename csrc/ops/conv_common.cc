#include "ops/conv_common.h"

#include <algorithm>
#include <cstring>

namespace pyrt {

PaddedSize ComputePadding(Padding padding, int in, int filter, int stride, int dilation) {
  // int64 throughout: options come from the file (stride or dilation 2^31-1).
  const int64_t effective_filter = (int64_t{filter} - 1) * dilation + 1;
  const int64_t out = padding == Padding::kSame ? (int64_t{in} + stride - 1) / stride
                                                : (int64_t{in} + stride - effective_filter) / stride;
  // Kernels index input rows as out_y * stride - pad + f * dilation in int:
  // refuse geometries whose span could leave int32 (out = -1).
  const int64_t span = (out - 1) * stride + effective_filter;
  if (filter < 1 || effective_filter > kMaxConvSpan || span > kMaxConvSpan) return {-1, 0};
  const int64_t total = std::max<int64_t>(0, span - in);
  return {static_cast<int>(out), static_cast<int>(total / 2)};
}

std::vector<int32_t> ReadBias(const Tensor* bias, int n) {
  std::vector<int32_t> out(n, 0);
  // memcpy: constant buffers carry no alignment guarantee for int32.
  if (bias) std::memcpy(out.data(), bias->data, sizeof(int32_t) * n);
  return out;
}

std::vector<int32_t> FoldInputZeroPoint(std::vector<int32_t> bias, const int8_t* filter, int K,
                                        int32_t input_zero_point) {
  for (size_t c = 0; c < bias.size(); ++c) {
    int32_t sum = 0;
    for (int k = 0; k < K; ++k) sum += filter[c * K + k];
    // Wrapping arithmetic: the reference accumulates in int32 too.
    bias[c] = static_cast<int32_t>(static_cast<uint32_t>(bias[c]) -
                                   static_cast<uint32_t>(input_zero_point) * static_cast<uint32_t>(sum));
  }
  return bias;
}

}  // namespace pyrt
