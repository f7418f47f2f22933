#include "kernels/depthwise_hybrid_kernel.h"

#include <algorithm>

#include "runtime/thread_pool.h"

namespace pyrt {
namespace {

constexpr int kChannelChunk = 64;  // int32 accumulators kept on the stack

}  // namespace

void DepthwiseHybridKernel::Init(const ConvGeometry& g, int depth_multiplier,
                                 const int8_t* filter, const float* scales, const float* bias,
                                 float act_min, float act_max) {
  g_ = g;
  depth_multiplier_ = depth_multiplier;
  const size_t taps = static_cast<size_t>(g.filter_h) * g.filter_w;
  filter_.assign(filter, filter + taps * g.out_c);
  scales_.assign(scales, scales + g.out_c);
  bias_.assign(g.out_c, 0.f);
  if (bias) std::copy(bias, bias + g.out_c, bias_.begin());
  act_min_ = act_min;
  act_max_ = act_max;
  vector_channels_ = g.out_c / 4 * 4;
}

// acc[0..count) = sum over taps inside the image of w * (q - zp), output
// channels c0.. of pixel (oy, ox).
void DepthwiseHybridKernel::Pixel(const int8_t* image, int32_t zp, int oy, int ox, int c0,
                                  int count, int32_t* acc) const {
  const ConvGeometry& g = g_;
  const int dm = depth_multiplier_;
  std::fill(acc, acc + count, 0);
  for (int fy = 0; fy < g.filter_h; ++fy) {
    const int iy = oy * g.stride_h - g.pad_top + fy * g.dilation_h;
    if (iy < 0 || iy >= g.in_h) continue;
    for (int fx = 0; fx < g.filter_w; ++fx) {
      const int ix = ox * g.stride_w - g.pad_left + fx * g.dilation_w;
      if (ix < 0 || ix >= g.in_w) continue;
      const int8_t* in = image + (static_cast<size_t>(iy) * g.in_w + ix) * g.in_c;
      const int16_t* w = filter_.data() + (static_cast<size_t>(fy) * g.filter_w + fx) * g.out_c + c0;
      if (dm == 1) {
        const int8_t* x = in + c0;
        for (int i = 0; i < count; ++i) acc[i] += w[i] * (x[i] - zp);
      } else {
        for (int i = 0; i < count; ++i) acc[i] += w[i] * (in[(c0 + i) / dm] - zp);
      }
    }
  }
}

void DepthwiseHybridKernel::Rows(const int8_t* q, const RowQuantization* rq, int row0, int rows,
                                 float* output) const {
  const ConvGeometry& g = g_;
  const size_t image_size = static_cast<size_t>(g.in_h) * g.in_w * g.in_c;
  int32_t acc[kChannelChunk];
  for (int row = row0; row < row0 + rows; ++row) {
    const int b = row / g.out_h, oy = row % g.out_h;
    const float s_in = rq[b].scale;
    for (int ox = 0; ox < g.out_w; ++ox) {
      float* out = output + (static_cast<size_t>(row) * g.out_w + ox) * g.out_c;
      for (int c0 = 0; c0 < g.out_c; c0 += kChannelChunk) {
        const int count = std::min(kChannelChunk, g.out_c - c0);
        Pixel(q + b * image_size, rq[b].zero_point, oy, ox, c0, count, acc);
        for (int i = 0; i < count; ++i) {
          const int c = c0 + i;
          const float a = static_cast<float>(acc[i]);
          // NEON store loop on whole groups of 4 channels, scalar on the rest.
          const float v = c < vector_channels_ ? a * scales_[c] * s_in : a * s_in * scales_[c];
          out[c] = std::min(std::max(v + bias_[c], act_min_), act_max_);
        }
      }
    }
  }
}

void DepthwiseHybridKernel::Run(const int8_t* q, const RowQuantization* rq, float* output,
                                ThreadPool* pool) const {
  const int total = g_.batch * g_.out_h;
  const int workers = pool ? std::min(pool->num_threads(), total) : 1;
  if (workers <= 1) {
    Rows(q, rq, 0, total, output);
    return;
  }
  // Row ranges fixed by the task index: results do not depend on who runs it.
  const int tasks = std::min(total, 4 * workers);
  pool->ParallelFor(tasks, [&](int t) {
    const int r0 = static_cast<int>(static_cast<int64_t>(total) * t / tasks);
    const int r1 = static_cast<int>(static_cast<int64_t>(total) * (t + 1) / tasks);
    Rows(q, rq, r0, r1 - r0, output);
  });
}

}  // namespace pyrt
