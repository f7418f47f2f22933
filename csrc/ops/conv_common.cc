#include "ops/conv_common.h"

#include <cstring>

namespace pyrt {

PaddedSize ComputePadding(Padding padding, int in, int filter, int stride, int dilation) {
  const int effective_filter = (filter - 1) * dilation + 1;
  const int out = padding == Padding::kSame ? (in + stride - 1) / stride
                                            : (in + stride - effective_filter) / stride;
  int total = (out - 1) * stride + effective_filter - in;
  if (total < 0) total = 0;
  return {out, total / 2};
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
