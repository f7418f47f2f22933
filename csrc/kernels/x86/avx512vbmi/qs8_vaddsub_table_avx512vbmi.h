// int8 ADD/SUB rows by table lookups (AVX-512 VBMI, within the avx512vnni
// path): each input's rescaling step depends only on its 256 possible values
// (kernels/reference/binary_s8.h, AddSubInputTables), so it is looked up
// instead of computed: 64 elements per step, each int32 value from four
// byte planes of 256 entries (two vpermt2b and a blend per plane). Then the
// output rescaling as the reference. Bit-identical to AddSubRowQ8.
#pragma once

#include <cstdint>

#include "kernels/reference/binary_s8.h"

namespace pyrt {

struct Qs8AddSubTables {
  // plane[input][k][uint8(x)]: byte k (little-endian) of the input's table.
  alignas(64) uint8_t plane[2][4][256];
  int32_t value[2][256];  // the tables themselves (broadcast operands)
};

void MakeQs8AddSubTables(const AddSubParams& p, Qs8AddSubTables* t);

// out[i] = op(a[i * sa], b[i * sb]) for i < n; sa, sb in {0, 1}. Call only
// when the CPU has AVX-512 VBMI.
void Qs8AddSubTableRowAvx512Vbmi(const AddSubParams& p, const Qs8AddSubTables& t,
                                 const int8_t* a, int64_t sa, const int8_t* b, int64_t sb,
                                 int8_t* out, int64_t n);

}  // namespace pyrt
