// Hybrid DEPTHWISE_CONV_2D: int8 input quantized per image (asymmetric, zero
// point per image), int8 per-channel weights, int32 accumulation over the
// taps inside the image (padding contributes nothing), then the float
// epilogue of LiteRT's optimized kernel (DepthwiseConvHybridGeneral, as
// the x86 build compiles it, with USE_NEON through NEON_2_SSE):
//   y = clamp((float(acc) * filter_scale[c]) * input_scale + bias[c])
// on channels in whole groups of 4, (float(acc) * input_scale) *
// filter_scale[c] on the last out_c % 4 channels (two float roundings; the
// reference kernel rounds filter_scale[c] * input_scale first instead).
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/conv_geometry.h"
#include "quant/hybrid_quant.h"

namespace pyrt {

class ThreadPool;

class DepthwiseHybridKernel {
 public:
  // filter: [1][filter_h][filter_w][out_c] (copied); scales: out_c filter
  // scales; bias: out_c floats or null.
  void Init(const ConvGeometry& g, int depth_multiplier, const int8_t* filter,
            const float* scales, const float* bias, float act_min, float act_max);
  // q: quantized input (batch images); rq: quantization of each image.
  void Run(const int8_t* q, const RowQuantization* rq, float* output, ThreadPool* pool) const;

 private:
  void Rows(const int8_t* q, const RowQuantization* rq, int row0, int rows, float* output) const;
  void Pixel(const int8_t* image, int32_t zp, int oy, int ox, int c0, int count,
             int32_t* acc) const;

  ConvGeometry g_{};
  int depth_multiplier_ = 1;
  std::vector<int16_t> filter_;  // widened once
  std::vector<float> scales_, bias_;
  float act_min_ = 0.f, act_max_ = 0.f;
  int vector_channels_ = 0;  // out_c rounded down to a multiple of 4
};

}  // namespace pyrt
