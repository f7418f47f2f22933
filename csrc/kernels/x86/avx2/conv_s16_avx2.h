// 16x8 CONV_2D and DEPTHWISE_CONV_2D for AVX2: int16 activations times int8
// weights widened to int16 at load, pairs of terms per vpmaddwd, int32 lane
// sums kept exact (kernels/conv_s16_kernel.h).
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/x86/conv_s16_tile.h"

namespace pyrt {

// 16x8 CONV_2D output tiles: up to kConvS16Avx2Rows output pixels times a
// panel of 16 output channels, the sums in registers (each weight load
// serves every pixel of the tile), added into int64 every 128 pairs of
// terms (kConvS16PairsPerFlush), then requantized as RequantizeS16 does
// (MultiplyByQuantizedMultiplier64).
constexpr int kConvS16Avx2Rows = 6;
constexpr int kConvS16Avx2PanelWidth = 16;

// Output pixel m < rows of the tile reads tap t's in_c input channels at
// x[m * taps + t] (zeros for a padding tap). The panel holds, per step
// (tap t, channel pair j, in that order), 16 int32 words: the int16 weight
// pair (w[n][t][2j], w[n][t][2j + 1]) of channel n, the odd last channel
// paired with 0. Writes the first `cols` channels of each pixel's output
// (pixel m at out + m * ldo).
void ConvS16TileAvx2(int rows, const int16_t* const* x, int taps, int in_c, const int32_t* panel,
                     const ConvS16TileRequant& rq, int16_t* out, size_t ldo, int cols);

// 16x8 DEPTHWISE_CONV_2D (depth multiplier 1) for AVX2, one output pixel:
// taps in pairs, interleaved into vpmaddwd against weights packed per group
// of 16 channels as, per tap pair (t, t + 1), 32 int16: (w[t][c], w[t+1][c])
// for c = 0-3, 8-11, then for c = 4-7, 12-15 (an odd last tap pairs with
// zero weights; missing channels are zero). At most 256 taps (the int32
// sums are exact).
//
// out[c] (c < channels) = the requantized sum over the `taps` taps of
// x[t][c] * w[t][c]; x[t] points at the tap's input pixel, or at zeros for a
// padding tap (16x8 activations have zero point 0). rq holds the constants
// of channels 0.. (padded to a multiple of 16).
void DwConvS16PixelAvx2(const int16_t* const* x, int taps, int channels, const int16_t* packed,
                        const ConvS16TileRequant& rq, int16_t* out);

}  // namespace pyrt
