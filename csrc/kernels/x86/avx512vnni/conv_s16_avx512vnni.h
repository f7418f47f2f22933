// 16x8 CONV_2D output tiles for the avx512vnni path: ConvS16TileAvx2's
// contract (kernels/x86/avx2/conv_s16_avx2.h) with up to 8 output pixels
// times a panel of 32 channels (two zmm of 16), each step one vpdpwssd per
// pixel and vector (int16 pairs summed into int32 lanes without saturation).
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/x86/conv_s16_tile.h"

namespace pyrt {

constexpr int kConvS16Avx512Rows = 8;
constexpr int kConvS16Avx512PanelWidth = 32;

void ConvS16TileAvx512Vnni(int rows, const int16_t* const* x, int taps, int in_c,
                           const int32_t* panel, const ConvS16TileRequant& rq, int16_t* out,
                           size_t ldo, int cols);

// DwConvS16PixelAvx2's contract (kernels/x86/avx2/conv_s16_avx2.h) on
// groups of 32 channels: per tap pair, 64 int16: the pairs of the channels
// vpunpcklwd puts in lanes 0-15 (0-3, 8-11, 16-19, 24-27), then those of
// vpunpckhwd (4-7, 12-15, 20-23, 28-31); summed with vpdpwssd.
void DwConvS16PixelAvx512Vnni(const int16_t* const* x, int taps, int channels,
                              const int16_t* packed, const ConvS16TileRequant& rq, int16_t* out);

}  // namespace pyrt
