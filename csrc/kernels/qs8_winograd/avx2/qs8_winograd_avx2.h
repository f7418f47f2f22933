// The AVX2 block microkernel of the exact int8 Winograd convolution
// (kernels/qs8_winograd/qs8_winograd.h): input transform in int16 lanes,
// the 16 GEMMs on vpmaddwd (the 6x16c2 accumulation with int16 weights),
// output transform, >> 2 and the gemmlowp requantization; for layers whose
// filter is transformed per run, the inputs of every tile and then a panel
// at a time.
#pragma once

#include <cstdint>

#include "kernels/qs8_winograd/qs8_winograd.h"

namespace pyrt {

void Qs8WinogradBlockAvx2(const Qs8WinogradLayer& layer, const int8_t* input, int8_t* output,
                          int tile0, int count, int16_t* v, int32_t* m);
void Qs8WinogradInputsAvx2(const Qs8WinogradLayer& layer, const int8_t* input, int tile0,
                           int count, int16_t* v);
void Qs8WinogradPanelAvx2(const Qs8WinogradLayer& layer, const int16_t* v, int q, int16_t* u,
                          int32_t* m, int8_t* output);
inline constexpr Qs8WinogradPath kQs8WinogradAvx2{Qs8WinogradBlockAvx2, Qs8WinogradInputsAvx2,
                                                  Qs8WinogradPanelAvx2};

}  // namespace pyrt
