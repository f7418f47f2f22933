#include "kernels/reference/pool_q.h"

#include <algorithm>
#include <limits>

namespace pyrt {
namespace {

struct Window {
  int y_begin, y_end, x_begin, x_end;  // clipped input rows/columns [begin, end)
};

Window ClippedWindow(const PoolGeometry& g, int oy, int ox) {
  const int y0 = oy * g.stride_h - g.pad_top;
  const int x0 = ox * g.stride_w - g.pad_left;
  return {std::max(y0, 0), std::min(y0 + g.filter_h, g.in_h), std::max(x0, 0),
          std::min(x0 + g.filter_w, g.in_w)};
}

}  // namespace

int PoolWindowExtent(int o, int stride, int pad, int filter, int in) {
  const int64_t start = int64_t{o} * stride - pad;
  const int64_t end = std::min<int64_t>(start + filter, in);
  return static_cast<int>(std::max<int64_t>(end - std::max<int64_t>(start, 0), 0));
}

template <typename T>
void MaxPoolQ(const PoolGeometry& g, const T* input, T* output) {
  const int C = g.channels;
  for (int b = 0; b < g.batch; ++b) {
    const T* image = input + static_cast<size_t>(b) * g.in_h * g.in_w * C;
    for (int oy = 0; oy < g.out_h; ++oy) {
      for (int ox = 0; ox < g.out_w; ++ox, output += C) {
        const Window w = ClippedWindow(g, oy, ox);
        std::fill(output, output + C, std::numeric_limits<T>::lowest());
        for (int y = w.y_begin; y < w.y_end; ++y) {
          for (int x = w.x_begin; x < w.x_end; ++x) {
            const T* px = image + (static_cast<size_t>(y) * g.in_w + x) * C;
            for (int c = 0; c < C; ++c) output[c] = std::max(output[c], px[c]);
          }
        }
        for (int c = 0; c < C; ++c) {
          const int32_t v = std::min(std::max<int32_t>(output[c], g.act_min), g.act_max);
          output[c] = static_cast<T>(v);
        }
      }
    }
  }
}

size_t AveragePoolScratchBytes(const PoolGeometry& g) {
  return sizeof(int32_t) * static_cast<size_t>(g.channels);
}

template <typename T>
void AveragePoolQ(const PoolGeometry& g, const T* input, T* output, uint8_t* scratch) {
  const int C = g.channels;
  int32_t* acc = reinterpret_cast<int32_t*>(scratch);
  for (int b = 0; b < g.batch; ++b) {
    const T* image = input + static_cast<size_t>(b) * g.in_h * g.in_w * C;
    for (int oy = 0; oy < g.out_h; ++oy) {
      for (int ox = 0; ox < g.out_w; ++ox, output += C) {
        const Window w = ClippedWindow(g, oy, ox);
        const int32_t count = (w.y_end - w.y_begin) * (w.x_end - w.x_begin);
        std::fill(acc, acc + C, 0);
        for (int y = w.y_begin; y < w.y_end; ++y) {
          for (int x = w.x_begin; x < w.x_end; ++x) {
            const T* px = image + (static_cast<size_t>(y) * g.in_w + x) * C;
            for (int c = 0; c < C; ++c) acc[c] += px[c];
          }
        }
        for (int c = 0; c < C; ++c) {
          // Integer division truncates, so +-count/2 rounds half away from zero.
          const int32_t a = acc[c];
          int32_t v = a > 0 ? (a + count / 2) / count : (a - count / 2) / count;
          v = std::min(std::max(v, g.act_min), g.act_max);
          output[c] = static_cast<T>(v);
        }
      }
    }
  }
}

template void MaxPoolQ<int8_t>(const PoolGeometry&, const int8_t*, int8_t*);
template void MaxPoolQ<uint8_t>(const PoolGeometry&, const uint8_t*, uint8_t*);
template void AveragePoolQ<int8_t>(const PoolGeometry&, const int8_t*, int8_t*, uint8_t*);
template void MaxPoolQ<int16_t>(const PoolGeometry&, const int16_t*, int16_t*);
template void AveragePoolQ<int16_t>(const PoolGeometry&, const int16_t*, int16_t*, uint8_t*);
template void AveragePoolQ<uint8_t>(const PoolGeometry&, const uint8_t*, uint8_t*, uint8_t*);

}  // namespace pyrt
