// Hybrid DEPTHWISE_CONV_2D: int8 input quantized per image (asymmetric, zero
// point per image), int8 per-channel weights, int32 accumulation over the
// taps inside the image (padding contributes nothing), then the float
// epilogue of LiteRT's optimized kernel (DepthwiseConvHybridGeneral, as
// the x86 build compiles it, with USE_NEON through NEON_2_SSE):
//   y = clamp((float(acc) * filter_scale[c]) * input_scale + bias[c])
// on channels in whole groups of 4, (float(acc) * input_scale) *
// filter_scale[c] on the last out_c % 4 channels (two float roundings; the
// reference kernel rounds filter_scale[c] * input_scale first instead).
// One body (depthwise_hybrid_body.h) is compiled per ISA.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/conv_geometry.h"
#include "kernels/isa.h"
#include "kernels/hybrid_quant.h"

namespace pyrt {

class ThreadPool;

// Depth multiplier 1: a multiplier M > 1 runs on the input with each channel
// repeated M times (repeat_channels.h), g.in_c == g.out_c.
struct DepthwiseHybridArgs {
  ConvGeometry g{};
  const int16_t* filter = nullptr;  // [filter_h][filter_w][out_c], widened
  const float* scales = nullptr;    // out_c filter scales (padded as the path wants)
  const float* bias = nullptr;      // out_c (zeros when the op has none; padded)
  float act_min = 0.f, act_max = 0.f;
  int vector_channels = 0;          // out_c rounded down to a multiple of 4
  // Paths with packed weights (x86/avx512vnni/depthwise_hybrid_c32_avx512vnni.h,
  // x86/avx2/depthwise_hybrid_c16_avx2.h):
  const int16_t* packed = nullptr;
  const int32_t* col_sum = nullptr;   // sum of each channel's weights over the taps
  const int8_t* zero_rows = nullptr;  // per image, in_c bytes set to its zero point
};

// Output rows row0.. (as batch * out_h + oy) from the quantized images q.
using DepthwiseHybridRowsFn = void (*)(const DepthwiseHybridArgs& d, const int8_t* q,
                                       const RowQuantization* rq, int row0, int rows,
                                       float* output);

namespace dwh_portable {
void DepthwiseHybridRows(const DepthwiseHybridArgs&, const int8_t*, const RowQuantization*, int,
                         int, float*);
}  // namespace dwh_portable
namespace dwh_avx2 {
void DepthwiseHybridRows(const DepthwiseHybridArgs&, const int8_t*, const RowQuantization*, int,
                         int, float*);
}  // namespace dwh_avx2

class DepthwiseHybridKernel {
 public:
  // filter: [1][filter_h][filter_w][out_c]; scales: out_c filter scales;
  // bias: out_c floats or null. All copied.
  void Init(Isa isa, const ConvGeometry& g, int depth_multiplier, const int8_t* filter,
            const float* scales, const float* bias, float act_min, float act_max);
  size_t ScratchBytes() const;
  // q: quantized input (batch images); rq: quantization of each image;
  // scratch: ScratchBytes().
  void Run(const int8_t* q, const RowQuantization* rq, float* output, uint8_t* scratch,
           ThreadPool* pool) const;

 private:
  // Fills packed_ / col_sum_ (tap pairs per group of `group` channels in the
  // lane order lane_channel) and pads scales_ / bias_ to whole groups.
  void PackTapPairs(const int8_t* filter, int group, const int* lane_channel);
  size_t ExpandedBytes() const;

  std::vector<int16_t> filter_, packed_;
  std::vector<float> scales_, bias_;
  std::vector<int32_t> col_sum_;
  DepthwiseHybridArgs args_;
  DepthwiseHybridRowsFn rows_ = nullptr;
  int expand_from_ = 0;  // input channels when the multiplier is > 1, else 0
};

}  // namespace pyrt
