// 256-entry byte table lookup with AVX-512 VBMI: vpermt2b looks up 64 bytes
// in a 128-entry table (two registers) at once; two of them cover the low
// and high halves, and the index's top bit picks one. The table is used as
// it is (no packing).
#pragma once

#include <cstdint>

namespace pyrt {

// out[i] = lut[uint8(in[i])] for i < n.
void X8LutAvx512Vbmi(const int8_t lut[256], int64_t n, const int8_t* in, int8_t* out);

}  // namespace pyrt
