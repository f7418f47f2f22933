// int8 ADD/SUB and MUL rows for AArch64 NEON (ARMv8.0; also run by the
// neondot and neoni8mm paths), 16 elements per step, bit-identical to
// AddSubRowQ8 / MulRowQ8 (kernels/reference/binary_s8.h): sqrdmulh is
// SaturatingRoundingDoublingHighMul itself, and RoundingDivideByPOT is a
// rounding shift after a -1 fix-up of negative values.
#pragma once

#include <cstdint>

#include "kernels/reference/binary_s8.h"

namespace pyrt {

// out[i] = op(a[i * sa], b[i * sb]) for i < n; sa, sb in {0, 1}.
void Qs8AddSubRowNeon(const AddSubParams& p, const int8_t* a, int64_t sa, const int8_t* b,
                      int64_t sb, int8_t* out, int64_t n);
void Qs8MulRowNeon(const MulParams& p, const int8_t* a, int64_t sa, const int8_t* b, int64_t sb,
                   int8_t* out, int64_t n);

}  // namespace pyrt
