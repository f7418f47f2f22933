// int8 ADD/SUB rows by table lookups (AVX-512 VBMI, within the avx512vnni
// path): each input's rescaling step depends only on its 256 possible values
// (kernels/reference/binary_s8.h, AddSubInputTables), so it is looked up
// instead of computed: 64 elements per step, each int32 value from four
// byte planes of 256 entries (two vpermt2b and a blend per plane). Then the
// output rescaling as the reference. Bit-identical to AddSubRowQ8.
//
// Where it is exact for all 65536 input pairs (checked when the tables are
// made) the output rescaling is looked up too: with e1 = t1[a] * M +
// rounding and e2 = t2[b] * M, the output is floor((e1 + e2) / 2^N) =
// high1[a] + high2[b] + [low1[a] + low2[b] >= 2^N] (high: e >> N, low:
// e mod 2^N). The carry compares one value of a with one of b, which their
// ranks among the 256 values 2^N - low2[b] do in 8 bits; the highs, clamped
// where that cannot change a clamped output, fit int16. 64 elements cost six
// byte lookups and a dozen other ops instead of 64-bit rescaling. (The check
// fails where the reference's tie correction for negative values, not part
// of the sum, changes some output: then the int32 rows.)
#pragma once

#include <cstdint>

#include "kernels/reference/binary_s8.h"

namespace pyrt {

struct Qs8AddSubTables {
  // plane[input][k][uint8(x)]: byte k (little-endian) of the input's table.
  alignas(64) uint8_t plane[2][4][256];
  int32_t value[2][256];  // the tables themselves (broadcast operands)
  // The looked-up output, used when `exact_sums` (see above): out =
  // clamp(high[0][a] + high[1][b] + [carry[0][a] > carry[1][b]]), the int16
  // highs as low and high byte planes (high[input][byte][uint8(x)]).
  bool exact_sums = false;
  alignas(64) uint8_t high[2][2][256];
  alignas(64) uint8_t carry[2][256];
};

void MakeQs8AddSubTables(const AddSubParams& p, Qs8AddSubTables* t);

// out[i] = op(a[i * sa], b[i * sb]) for i < n; sa, sb in {0, 1}. Call only
// when the CPU has AVX-512 VBMI.
void Qs8AddSubTableRowAvx512Vbmi(const AddSubParams& p, const Qs8AddSubTables& t,
                                 const int8_t* a, int64_t sa, const int8_t* b, int64_t sb,
                                 int8_t* out, int64_t n);

}  // namespace pyrt
