// The pixel loop shared by the SIMD depthwise microkernels (depth multiplier
// 1): for each output pixel of rows [row0, row1) (counted over all images),
// where its taps are, then pixel(taps, out) computes all channels of it.
// Interior pixels (every tap inside the image) come in runs along the row:
// run(base, offset, count, step, out) computes `count` pixels, pixel i's tap
// t at base + i * step + offset[t] (a kernel can then keep per-channel
// constants in registers across the run); border pixels get a pointer per
// tap, padding taps pointing at `zero_row` (the input zero point, which the
// folded bias cancels). Taps
// come in pairs; an odd last tap's partner reads offset 0 / zero_row, with
// zero weights. Header-only and ISA-neutral: each microkernel instantiates
// it in its own translation unit with its own flags.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/conv_geometry.h"

namespace pyrt {
namespace {

struct DwTapPointers {
  const int8_t* const* p;
  const int8_t* operator()(int t) const { return p[t]; }
};

struct DwTapOffsets {
  const int8_t* base;
  const ptrdiff_t* offset;
  const int8_t* operator()(int t) const { return base + offset[t]; }
};

// Border pixels are handed over in batches of up to this many, gathered
// across rows (a row has only one or two on each side).
constexpr int kDwBorderBatch = 16;

// kMaxTaps: the microkernel's limit on filter_h * filter_w (checked by its
// caller). border(const DwTapPointers* taps, Out* const* outs, int count):
// `count` border pixels, from one or more rows (a batch lets a kernel load each channel
// group's weights once for all of them, as a run does). Out is int8_t, or
// float for the hybrid kernel. run: see above.
template <int kMaxTaps, typename Out, typename Border, typename Run>
inline void DwConvRowsBatched(const ConvGeometry& g, const int8_t* input, const int8_t* zero_row,
                              Out* output, int row0, int row1, Border&& border, Run&& run) {
  const int C = g.in_c, taps_n = g.filter_h * g.filter_w;
  ptrdiff_t offset[kMaxTaps + 1];
  for (int fy = 0, t = 0; fy < g.filter_h; ++fy)
    for (int fx = 0; fx < g.filter_w; ++fx, ++t)
      offset[t] = (static_cast<ptrdiff_t>(fy) * g.dilation_h * g.in_w + fx * g.dilation_w) * C;
  offset[taps_n] = 0;
  const int span_w = (g.filter_w - 1) * g.dilation_w, span_h = (g.filter_h - 1) * g.dilation_h;
  const int ox_lo = (g.pad_left + g.stride_w - 1) / g.stride_w;
  const int ox_hi = g.in_w - 1 - span_w + g.pad_left >= 0
                        ? (g.in_w - 1 - span_w + g.pad_left) / g.stride_w + 1 : 0;
  const int8_t* taps[kDwBorderBatch][kMaxTaps + 1];
  DwTapPointers batch[kDwBorderBatch];
  Out* outs[kDwBorderBatch];
  for (int i = 0; i < kDwBorderBatch; ++i) {
    taps[i][taps_n] = zero_row;
    batch[i] = DwTapPointers{taps[i]};
  }
  int pending = 0;
  const auto flush = [&] {
    if (pending > 0) border(static_cast<const DwTapPointers*>(batch), static_cast<Out* const*>(outs), pending);
    pending = 0;
  };
  for (int row = row0; row < row1; ++row) {
    const int b = row / g.out_h, oy = row % g.out_h;
    const int8_t* image = input + static_cast<size_t>(b) * g.in_h * g.in_w * C;
    Out* out = output + static_cast<size_t>(row) * g.out_w * C;
    const int iy0 = oy * g.stride_h - g.pad_top;
    const bool row_inside = iy0 >= 0 && iy0 + span_h < g.in_h;
    for (int ox = 0; ox < g.out_w; ++ox, out += C) {
      const int ix0 = ox * g.stride_w - g.pad_left;
      if (row_inside && ox >= ox_lo && ox < ox_hi) {
        const int count = ox_hi - ox;
        run(image + (static_cast<ptrdiff_t>(iy0) * g.in_w + ix0) * C, offset, count,
            static_cast<ptrdiff_t>(g.stride_w) * C, out);
        ox += count - 1;
        out += static_cast<size_t>(count - 1) * C;
        continue;
      }
      const int8_t** pixel_taps = taps[pending];
      for (int fy = 0, t = 0; fy < g.filter_h; ++fy) {
        const int iy = iy0 + fy * g.dilation_h;
        for (int fx = 0; fx < g.filter_w; ++fx, ++t) {
          const int ix = ix0 + fx * g.dilation_w;
          const bool inside = iy >= 0 && iy < g.in_h && ix >= 0 && ix < g.in_w;
          pixel_taps[t] = inside ? image + (static_cast<size_t>(iy) * g.in_w + ix) * C : zero_row;
        }
      }
      outs[pending++] = out;
      if (pending == kDwBorderBatch) flush();
    }
  }
  flush();
}

// The same with border pixels one at a time: pixel(DwTapPointers, Out* out).
template <int kMaxTaps, typename Out, typename Pixel, typename Run>
inline void DwConvRows(const ConvGeometry& g, const int8_t* input, const int8_t* zero_row,
                       Out* output, int row0, int row1, Pixel&& pixel, Run&& run) {
  DwConvRowsBatched<kMaxTaps>(
      g, input, zero_row, output, row0, row1,
      [&](const DwTapPointers* taps, Out* const* outs, int count) {
        for (int i = 0; i < count; ++i) pixel(taps[i], outs[i]);
      },
      run);
}

// The same for kernels without a run form: each interior pixel by itself.
template <int kMaxTaps, typename Out, typename Pixel>
inline void DwConvRows(const ConvGeometry& g, const int8_t* input, const int8_t* zero_row,
                       Out* output, int row0, int row1, Pixel&& pixel) {
  DwConvRows<kMaxTaps>(g, input, zero_row, output, row0, row1, pixel,
                       [&](const int8_t* base, const ptrdiff_t* offset, int count,
                           ptrdiff_t step, Out* out) {
                         for (int i = 0; i < count; ++i, base += step, out += g.in_c)
                           pixel(DwTapOffsets{base, offset}, out);
                       });
}

}  // namespace
}  // namespace pyrt
