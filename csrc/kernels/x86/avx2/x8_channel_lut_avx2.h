// Per-channel int8 table lookups (kernels/channel_lut_s8_kernel.h) with
// vpgatherdd, 8 channels per step; callable only when the CPU has AVX2.
#pragma once

#include <cstdint>

namespace pyrt {

// out[r * channels + c] = table[c * 256 + uint8(in[r * channels + c])] for
// r < rows. Reads up to 3 bytes past table[channels * 256 - 1] (gathers
// load 4 bytes per lane), so the table needs that padding.
void X8ChannelLutAvx2(const int8_t* table, int64_t channels, int64_t rows, const int8_t* in,
                      int8_t* out);

}  // namespace pyrt
