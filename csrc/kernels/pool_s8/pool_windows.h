// The pixel walk shared by the SIMD pooling kernels: every output pixel with
// its window clipped to the image. Header-only and ISA-neutral: each kernel
// instantiates it in its own translation unit with its own flags.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "kernels/reference/pool_q.h"

namespace pyrt {
namespace {

// f(image, y_begin, y_end, x_begin, x_end, out) for each output pixel: its
// image, the window's rows [y_begin, y_end) and columns [x_begin, x_end)
// inside the image, and its C output channels.
template <typename F>
inline void ForEachPoolWindow(const PoolGeometry& g, const int8_t* input, int8_t* output, F&& f) {
  const int C = g.channels;
  for (int b = 0; b < g.batch; ++b) {
    const int8_t* image = input + static_cast<size_t>(b) * g.in_h * g.in_w * C;
    for (int oy = 0; oy < g.out_h; ++oy) {
      const int y0 = oy * g.stride_h - g.pad_top;
      const int y_begin = std::max(y0, 0), y_end = std::min(y0 + g.filter_h, g.in_h);
      for (int ox = 0; ox < g.out_w; ++ox, output += C) {
        const int x0 = ox * g.stride_w - g.pad_left;
        f(image, y_begin, y_end, std::max(x0, 0), std::min(x0 + g.filter_w, g.in_w), output);
      }
    }
  }
}

}  // namespace
}  // namespace pyrt
