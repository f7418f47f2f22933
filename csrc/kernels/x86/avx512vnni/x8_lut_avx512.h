// 256-entry byte table lookup with AVX-512 BW vpshufb: the zmm twin of
// kernels/x86/avx2/x8_lut_avx2.h (same XOR-transformed tables, packed by
// PackX8LutAvx2), 64 bytes per step. For avx512vnni CPUs without VBMI.
#pragma once

#include <cstdint>

namespace pyrt {

// out[i] = lut[uint8(in[i])] for i < n; packed: PackX8LutAvx2's tables.
void X8LutAvx512(const uint8_t packed[256], int64_t n, const int8_t* in, int8_t* out);

}  // namespace pyrt
