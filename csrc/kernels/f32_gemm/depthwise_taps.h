// The taps of a depthwise output pixel that fall inside the input, as
// offsets into the image ([H][W][C]) and the filter ([FH][FW][C]). Plain
// C++: included by every path's depthwise kernel.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

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

// Where the SIMD blocks read tap t of their pixel p, and which filter tap
// it multiplies: adjacent pixels of one row sharing the row's taps (offsets
// from each pixel's base: its first input column, or the image for a border
// pixel's own taps).
struct RunTapSource {
  const float* const* base;
  const DepthwiseTaps* taps;
  int count() const { return taps->count; }
  const float* x(int t, int p) const { return base[p] + taps->x_off[t]; }
  size_t w(int t) const { return taps->w_off[t]; }
};

// Narrow maps (a keyword spotter's 25 x 5): most pixels lie on the border,
// and one kernel call per border pixel, with its own taps, costs more than
// its arithmetic. Instead groups of kNp pixels, consecutive in the output
// (across row ends), take every filter tap, those outside the input
// reading zeros: adding 0 * w changes no sum, but 0 * inf is NaN where the
// reference skips the tap, so only for finite filters. The taps' offsets
// come from a table built once (DepthwiseTapOffsets).
template <int kNp>
struct DepthwisePixelGroup {
  const float* x[DepthwiseTaps::kMax][kNp];  // tap t of pixel p
  float* out[kNp];
};

// Per output pixel of an image (oy * out_w + ox), per filter tap in filter
// order: the tap's input offset from the image's start, or -1 outside the
// input. Empty when an offset would not fit int32.
inline std::vector<int32_t> DepthwiseTapOffsets(const ConvGeometry& g) {
  const int64_t C = g.in_c;
  if (int64_t{g.in_h} * g.in_w * C > INT32_MAX) return {};
  std::vector<int32_t> offsets;
  offsets.reserve(static_cast<size_t>(g.out_h) * g.out_w * g.filter_h * g.filter_w);
  for (int oy = 0; oy < g.out_h; ++oy) {
    for (int ox = 0; ox < g.out_w; ++ox) {
      for (int fy = 0; fy < g.filter_h; ++fy) {
        const int iy = oy * g.stride_h - g.pad_top + fy * g.dilation_h;
        for (int fx = 0; fx < g.filter_w; ++fx) {
          const int ix = ox * g.stride_w - g.pad_left + fx * g.dilation_w;
          const bool inside = iy >= 0 && iy < g.in_h && ix >= 0 && ix < g.in_w;
          offsets.push_back(inside ? static_cast<int32_t>((int64_t{iy} * g.in_w + ix) * C) : -1);
        }
      }
    }
  }
  return offsets;
}

// Calls run(group) for the output pixels of rows [row0, row0 + rows) (r =
// b * out_h + oy) in groups of kNp, consecutive across row and image ends,
// in_c == out_c channels; tap_offsets from DepthwiseTapOffsets. The last
// group's slots past the pixels left repeat its last pixel (computed again,
// the same values stored again).
template <int kNp, typename Run>
inline void ForEachDepthwisePixelGroup(const ConvGeometry& g, const int32_t* tap_offsets,
                                       const float* zeros, const float* input, float* output,
                                       int row0, int rows, Run&& run) {
  const size_t C = static_cast<size_t>(g.out_c), image_size = size_t{1} * g.in_h * g.in_w * C;
  const int taps = g.filter_h * g.filter_w, pixels = g.out_h * g.out_w;
  DepthwisePixelGroup<kNp> group;
  int64_t image = row0 / g.out_h;
  int q = row0 % g.out_h * g.out_w;  // the pixel within the image
  for (int64_t left = int64_t{rows} * g.out_w; left > 0; left -= kNp) {
    const int n = static_cast<int>(std::min<int64_t>(kNp, left));
    for (int p = 0; p < n; ++p) {
      const float* x = input + static_cast<size_t>(image) * image_size;
      const int32_t* off = tap_offsets + static_cast<size_t>(q) * taps;
      for (int t = 0; t < taps; ++t) group.x[t][p] = off[t] >= 0 ? x + off[t] : zeros;
      group.out[p] = output + (static_cast<size_t>(image) * pixels + q) * C;
      if (++q == pixels) q = 0, ++image;
    }
    for (int p = n; p < kNp; ++p) {
      group.out[p] = group.out[n - 1];
      for (int t = 0; t < taps; ++t) group.x[t][p] = group.x[t][n - 1];
    }
    run(group);
  }
}

// The group's taps for the SIMD blocks: every filter tap, in filter order.
template <int kNp>
struct GroupTapSource {
  const DepthwisePixelGroup<kNp>* group;
  int taps;
  size_t C;
  int count() const { return taps; }
  const float* x(int t, int p) const { return group->x[t][p]; }
  size_t w(int t) const { return static_cast<size_t>(t) * C; }
};

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
