// 16x8 CONV_2D sums for AVX2: int16 activations times int8 weights widened
// to int16 at load, two input channels per vpmaddwd, int32 lane sums flushed
// into int64 before they could overflow (kernels/conv_s16_kernel.h).
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

}  // namespace pyrt
