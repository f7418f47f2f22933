#include "kernels/reference/transpose_conv.h"

#include <algorithm>
#include <cstring>

#include "kernels/reference/dot.h"

namespace pyrt {
namespace {

// Input index feeding output position `o` through filter tap `f`, or -1.
inline int SourceIndex(int o, int f, int pad, int stride, int in_size) {
  const int t = o + pad - f;
  if (t < 0 || t % stride != 0) return -1;
  const int i = t / stride;
  return i < in_size ? i : -1;
}

// Calls tap(input_pixel, fy, fx) for every filter tap that reaches output
// pixel (b, oy, ox).
template <typename Tap>
void ForEachTap(const ConvGeometry& g, int b, int oy, int ox, Tap&& tap) {
  for (int fy = 0; fy < g.filter_h; ++fy) {
    const int iy = SourceIndex(oy, fy, g.pad_top, g.stride_h, g.in_h);
    if (iy < 0) continue;
    for (int fx = 0; fx < g.filter_w; ++fx) {
      const int ix = SourceIndex(ox, fx, g.pad_left, g.stride_w, g.in_w);
      if (ix < 0) continue;
      tap((int64_t{b} * g.in_h + iy) * g.in_w + ix, fy, fx);
    }
  }
}

}  // namespace

size_t TransposeConvS8ScratchBytes(const ConvGeometry& g) {
  const size_t acc = (sizeof(uint32_t) * static_cast<size_t>(g.out_c) + 63) / 64 * 64;
  return acc + sizeof(int16_t) * static_cast<size_t>(g.batch) * g.in_h * g.in_w * g.in_c;
}

size_t TransposeConvF32ScratchBytes(const ConvGeometry& g) {
  return sizeof(float) * static_cast<size_t>(g.out_c);
}

void TransposeConvS8(const ConvGeometry& g, const int8_t* input, const int16_t* filter,
                     int32_t input_zero_point, const ChannelRequant& rq, int8_t* output,
                     uint8_t* scratch) {
  uint32_t* acc = reinterpret_cast<uint32_t*>(scratch);
  int16_t* x16 = reinterpret_cast<int16_t*>(scratch + (sizeof(uint32_t) * g.out_c + 63) / 64 * 64);
  const int in_c = g.in_c;
  const int64_t in_size = int64_t{g.batch} * g.in_h * g.in_w * in_c;
  for (int64_t i = 0; i < in_size; ++i) x16[i] = static_cast<int16_t>(input[i] - input_zero_point);
  const int64_t filter_oc_stride = int64_t{g.filter_h} * g.filter_w * in_c;
  int8_t* out = output;
  for (int b = 0; b < g.batch; ++b) {
    for (int oy = 0; oy < g.out_h; ++oy) {
      for (int ox = 0; ox < g.out_w; ++ox) {
        std::fill(acc, acc + g.out_c, 0u);
        ForEachTap(g, b, oy, ox, [&](int64_t pixel, int fy, int fx) {
          const int16_t* x = x16 + pixel * in_c;
          const int16_t* w = filter + (int64_t{fy} * g.filter_w + fx) * in_c;
          // Unsigned sums: the reference's int32 accumulation wraps.
          for (int oc = 0; oc < g.out_c; ++oc, w += filter_oc_stride)
            acc[oc] += static_cast<uint32_t>(DotS16Wrapping(x, w, in_c));
        });
        for (int oc = 0; oc < g.out_c; ++oc)
          *out++ = static_cast<int8_t>(Requantize(static_cast<int32_t>(acc[oc]), rq, oc));
      }
    }
  }
}

void TransposeConvF32(const ConvGeometry& g, const float* input, const float* filter,
                      const float* bias, float act_min, float act_max, float* output,
                      uint8_t* scratch) {
  float* acc = reinterpret_cast<float*>(scratch);
  const int in_c = g.in_c;
  const int64_t filter_oc_stride = int64_t{g.filter_h} * g.filter_w * in_c;
  float* out = output;
  for (int b = 0; b < g.batch; ++b) {
    for (int oy = 0; oy < g.out_h; ++oy) {
      for (int ox = 0; ox < g.out_w; ++ox) {
        std::fill(acc, acc + g.out_c, 0.f);
        ForEachTap(g, b, oy, ox, [&](int64_t pixel, int fy, int fx) {
          const float* x = input + pixel * in_c;
          const float* w = filter + (int64_t{fy} * g.filter_w + fx) * in_c;
          for (int oc = 0; oc < g.out_c; ++oc, w += filter_oc_stride) acc[oc] += DotF32(x, w, in_c);
        });
        for (int oc = 0; oc < g.out_c; ++oc) {
          const float v = acc[oc] + (bias ? bias[oc] : 0.f);
          *out++ = std::min(std::max(v, act_min), act_max);
        }
      }
    }
  }
}

}  // namespace pyrt
