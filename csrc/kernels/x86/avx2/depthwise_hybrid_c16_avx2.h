// Hybrid DEPTHWISE_CONV_2D rows for the avx2 path, depth multiplier 1, 16
// channels per step: taps in pairs, vpmaddwd (int16 pairs into int32, exact)
// on the raw int8 input sign-extended, against weights packed once as int16
// pairs in the lane order of Qs8DwConvC16Avx2 (kDwC16LaneChannel). Padding
// taps read the image's zero row (its zero point), so sum w * q' - zp * sum(w)
// over all taps is the reference's sum over the taps inside the image of
// w * (q - zp). The float epilogue is depthwise_hybrid_kernel.h's, channel
// for channel.
#pragma once

#include "kernels/depthwise_hybrid_kernel.h"

namespace pyrt {

// Most filter taps (filter_h * filter_w) the kernel takes.
constexpr int kDepthwiseHybridAvx2MaxTaps = 64;

// Packed weights, per 16-channel group, per pair of taps (t, t + 1): for each
// lane slot j (kDwC16LaneChannel order) the int16 pair (w[t][c], w[t+1][c]);
// missing channels and the odd last tap are zero. d.packed, d.col_sum,
// d.scales and d.bias are padded to whole groups; d.zero_rows holds one row
// of in_c bytes per image set to its zero point.
void DepthwiseHybridC16Avx2(const DepthwiseHybridArgs& d, const int8_t* q,
                            const RowQuantization* rq, int row0, int rows, float* output);

}  // namespace pyrt
