// The AVX2 block microkernel of the exact int8 Winograd convolution
// (kernels/qs8_winograd/qs8_winograd.h): input transform in int16 lanes,
// the 16 GEMMs on vpmaddwd (the 6x16c2 accumulation with int16 weights),
// output transform, >> 2 and the gemmlowp requantization; and the per-run
// filter transform.
#pragma once

#include <cstdint>

#include "kernels/qs8_winograd/qs8_winograd.h"

namespace pyrt {

void Qs8WinogradBlockAvx2(const Qs8WinogradLayer& layer, const int16_t* u, const int8_t* input,
                          int8_t* output, int tile0, int count, int q0, int q1, int16_t* v,
                          int32_t* m);
void Qs8WinogradFilterAvx2(const Qs8WinogradLayer& layer, int q, int16_t* u);

}  // namespace pyrt
