// int8 GEMM microkernels for AVX-VNNI: 6 rows x 16 columns, k in quads
// (ymm vpdpbusd: x + 128 as uint8 times int8 weights, summed into int32
// without saturation, so exact; PackedQs8Gemm folds -128 * sum(w) into the
// bias). The VEX twin of the avx512vnni 8x32c4 kernels, for CPUs with
// AVX-VNNI but no AVX-512 (Alder Lake and later clients).
//
// The same source is also built into the test-only module against SIMD
// Everywhere (PYRT_EMULATE_AVXVNNI: names end in Emulated), so the twin tests
// run it on CPUs without AVX-VNNI.
#pragma once

#include "kernels/qs8_gemm/ukernel.h"

#ifdef PYRT_EMULATE_AVXVNNI
#define PYRT_AVXVNNI_NAME(name) name##Emulated
#else
#define PYRT_AVXVNNI_NAME(name) name
#endif

namespace pyrt {

constexpr int kQs8GemmAvxVnniMr = 6;
constexpr int kQs8GemmAvxVnniNr = 16;

// Requantization as TFLite's MultiplyByQuantizedMultiplier (gemmlowp).
void PYRT_AVXVNNI_NAME(Qs8Gemm6x16c4GemmlowpAvxVnni)(int mr, int nr, int kp, const uint8_t* a,
                                                    size_t a_stride, const int8_t* b, int8_t* c,
                                                    size_t c_stride, const Qs8GemmEpilogue& ep);

// The gemmlowp kernel reading int8 A in place (pointwise convolutions): each
// broadcast quad's sign bits flipped, x ^ 0x80 being the x + 128 it expects.
void PYRT_AVXVNNI_NAME(Qs8Gemm6x16c4GemmlowpFlippedS8AvxVnni)(int mr, int nr, int kp, const int8_t* a,
                                                             size_t a_stride, const int8_t* b, int8_t* c,
                                                             size_t c_stride, const Qs8GemmEpilogue& ep);

// Requantization in double with rounding half away from zero (the
// FULLY_CONNECTED reference).
void PYRT_AVXVNNI_NAME(Qs8Gemm6x16c4Fp64AvxVnni)(int mr, int nr, int kp, const uint8_t* a,
                                                size_t a_stride, const int8_t* b, int8_t* c,
                                                size_t c_stride, const Qs8GemmEpilogue& ep);

// The gemmlowp kernel with A rows in segments (Qs8GemmU8SegmentedUkernel:
// a convolution read in place from an x + 128 padded copy of its input).
void PYRT_AVXVNNI_NAME(Qs8Gemm6x16c4SegmentedGemmlowpAvxVnni)(
    int mr, int nr, int segments, int segment_kp, size_t segment_stride, const uint8_t* const* a, const int8_t* b, int8_t* c, size_t c_stride, const Qs8GemmEpilogue& ep);

}  // namespace pyrt
