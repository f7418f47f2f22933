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

// Calls pixel(base, taps, out) for each output pixel of rows
// [row0, row0 + rows) (r = b * out_h + oy), in_c == out_c channels: interior
// columns reuse their row's taps (computed once per row, relative to
// base = the pixel's first input column), border pixels get their own
// (absolute, base = the image). out: the pixel's out_c outputs.
template <typename Pixel>
inline void ForEachDepthwisePixel(const ConvGeometry& g, const float* input, float* output,
                                  int row0, int rows, Pixel&& pixel) {
  const size_t C = static_cast<size_t>(g.out_c);
  DepthwiseTaps row_taps, edge_taps;
  for (int r = row0; r < row0 + rows; ++r) {
    const int b = r / g.out_h, oy = r % g.out_h;
    const float* image = input + static_cast<size_t>(b) * g.in_h * g.in_w * C;
    DepthwiseRowTaps(g, oy, &row_taps);
    for (int ox = 0; ox < g.out_w; ++ox) {
      const bool interior = DepthwiseColumnInterior(g, ox);
      if (!interior) DepthwisePixelTaps(g, oy, ox, &edge_taps);
      const float* base =
          interior ? image + static_cast<size_t>(ox * g.stride_w - g.pad_left) * C : image;
      pixel(base, interior ? row_taps : edge_taps,
            output + (static_cast<size_t>(r) * g.out_w + ox) * C);
    }
  }
}

}  // namespace pyrt
