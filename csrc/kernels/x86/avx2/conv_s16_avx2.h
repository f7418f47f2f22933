// 16x8 CONV_2D and DEPTHWISE_CONV_2D sums for AVX2: int16 activations times
// int8 weights widened to int16 at load, pairs of terms per vpmaddwd, int32
// lane sums kept exact (kernels/conv_s16_kernel.h).
#pragma once

#include <cstdint>

namespace pyrt {

// Weights packed for ConvS16SumsAvx2: per tap, per pair of input channels
// (the odd last one paired with 0), n_padded channels of (w[c], w[c+1])
// int16 pairs; n_padded = out_c rounded up to 8, padding weights 0.
constexpr int kConvS16Avx2ChannelStep = 8;

// total[i] (i < n_count, a multiple of 8) = the sum, for output channel
// n_begin + i, over the taps t < count (tap index tap[t], input pixel x[t],
// in_c channels) of activation times weight; the totals are overwritten.
void ConvS16SumsAvx2(const int16_t* const* x, const int* tap, int count, int in_c,
                     const int16_t* packed, int n_padded, int n_begin, int n_count,
                     int64_t* total);

// 16x8 DEPTHWISE_CONV_2D sums (depth multiplier 1) for AVX2: taps in pairs,
// interleaved into vpmaddwd against weights packed per group of 16 channels
// as, per tap pair (t, t + 1), 32 int16: (w[t][c], w[t+1][c]) for c = 0-3,
// 8-11, then for c = 4-7, 12-15 (an odd last tap pairs with zero weights;
// missing channels are zero). At most 256 taps (the int32 sums are exact).
//
// sums[c] (c < channels rounded up to 16) = sum over the `taps` taps of
// x[t][c] * w[t][c]; x[t] points at the tap's input pixel, or at zeros for a
// padding tap (16x8 activations have zero point 0).
void DwConvS16SumsAvx2(const int16_t* const* x, int taps, int channels, const int16_t* packed,
                       int32_t* sums);

}  // namespace pyrt
