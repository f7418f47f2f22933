// Per-channel int8 table lookups (kernels/channel_lut_s8_kernel.h) with
// zmm vpgatherdd, 16 channels per step (masked tail); callable only when the
// CPU has the avx512vnni path.
#pragma once

#include <cstdint>

namespace pyrt {

// As X8ChannelLutAvx2 (kernels/x86/avx2/x8_channel_lut_avx2.h): reads up to
// 3 bytes past the table's last entry.
void X8ChannelLutAvx512(const int8_t* table, int64_t channels, int64_t rows, const int8_t* in,
                        int8_t* out);

}  // namespace pyrt
