// The taps of a depthwise output pixel that fall inside the input, as
// offsets into the image ([H][W][C]) and the filter ([FH][FW][C]). Plain
// C++: included by every path's depthwise kernel.
#pragma once

#include <cstddef>

#include "kernels/conv_geometry.h"

namespace pyrt {

struct DepthwiseTaps {
  static constexpr int kMax = 64;  // larger filters take the portable kernel
  size_t x_off[kMax], w_off[kMax];
  int count = 0;
};

// Taps of every pixel of output row `oy` whose filter columns all lie inside
// the input (DepthwiseRowInterior): x offsets relative to the pixel's first
// column ix0 = ox * stride_w - pad_left. Computed once per row.
inline void DepthwiseRowTaps(const ConvGeometry& g, int oy, DepthwiseTaps* t) {
  const size_t C = static_cast<size_t>(g.in_c);
  t->count = 0;
  for (int fy = 0; fy < g.filter_h; ++fy) {
    const int iy = oy * g.stride_h - g.pad_top + fy * g.dilation_h;
    if (iy < 0 || iy >= g.in_h) continue;
    for (int fx = 0; fx < g.filter_w; ++fx) {
      t->x_off[t->count] = (static_cast<size_t>(iy) * g.in_w + fx * g.dilation_w) * C;
      t->w_off[t->count++] = static_cast<size_t>(fy * g.filter_w + fx) * C;
    }
  }
}

// True when every filter column of output column `ox` lies inside the input.
inline bool DepthwiseColumnInterior(const ConvGeometry& g, int ox) {
  const int ix0 = ox * g.stride_w - g.pad_left;
  return ix0 >= 0 && ix0 + (g.filter_w - 1) * g.dilation_w < g.in_w;
}

// Taps of output pixel (oy, ox) near the border, x offsets absolute.
inline void DepthwisePixelTaps(const ConvGeometry& g, int oy, int ox, DepthwiseTaps* t) {
  const size_t C = static_cast<size_t>(g.in_c);
  t->count = 0;
  for (int fy = 0; fy < g.filter_h; ++fy) {
    const int iy = oy * g.stride_h - g.pad_top + fy * g.dilation_h;
    if (iy < 0 || iy >= g.in_h) continue;
    for (int fx = 0; fx < g.filter_w; ++fx) {
      const int ix = ox * g.stride_w - g.pad_left + fx * g.dilation_w;
      if (ix < 0 || ix >= g.in_w) continue;
      t->x_off[t->count] = (static_cast<size_t>(iy) * g.in_w + ix) * C;
      t->w_off[t->count++] = static_cast<size_t>(fy * g.filter_w + fx) * C;
    }
  }
}

}  // namespace pyrt
