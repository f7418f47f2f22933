// int8 GEMM kernels for AMX-INT8: blocks of up to 32 rows x 32 columns, a
// block of rows times a range of panels per call (the tiles are configured
// once per call and shape, not per block), k in steps of 64 (tdpbssd: s8 x s8 products summed into int32 tiles
// without saturation, so exact). A rows stay int8 (Qs8GemmInput::kS8, no
// +128 offset, so the bias folds only the input zero point) with kp a
// multiple of 64 (with segments, each run a multiple of 64: a conv's filter
// rows read from its padded input in place); weights are the [kp / 4][32][4] panels of the avx512vnni
// path. The sums leave the tiles through a 4 KB int32 buffer and are
// requantized with the avx512vnni path's AVX-512 epilogue.
//
// The same source is also built into the test-only module against a
// software model of the tile intrinsics (PYRT_EMULATE_AMX, names end in
// Emulated; csrc/testing/amx_tile_model.h), so the twin tests run it on
// CPUs without AMX.
#pragma once

#include "kernels/qs8_gemm/ukernel.h"

#ifdef PYRT_EMULATE_AMX
#define PYRT_AMX_NAME(name) name##Emulated
#else
#define PYRT_AMX_NAME(name) name
#endif

namespace pyrt {

constexpr int kQs8GemmAmxMr = 32;
constexpr int kQs8GemmAmxNr = 32;
constexpr int kQs8GemmAmxKBlock = 64;  // bytes of k per tile row: kp is a multiple
// Fewer GEMM rows than this run on the avx512vnni kernels instead (see
// Qs8GemmConfigFor): below one full 16-row A tile the tile setup, the
// C round trip through memory and the k padding to 64 cost more than the
// wider multiply saves, and such GEMMs (FULLY_CONNECTED at batch 1-8) are
// bound by streaming the weights anyway.
constexpr int kQs8GemmAmxMinRows = 16;

// The amx table entry for the given kernels (the product's, or the test
// module's built on the tile model): s8 x s8 tiles, int8 A rows, k padded to
// whole 64-byte tile rows, panels packed as avx512vnni's ([kp / 4][32][4]).
inline Qs8GemmConfig AmxConfig(Qs8GemmS8PanelsKernel gemmlowp, Qs8GemmS8PanelsKernel fp64) {
  Qs8GemmConfig c;
  c.mr = kQs8GemmAmxMr;
  c.nr = kQs8GemmAmxNr;
  c.kr = 4;
  c.kp_multiple = kQs8GemmAmxKBlock;
  // Larger blocks than the other paths (Sapphire Rapids' L2 is 2 MB): deep
  // layers on small maps (7x7 x 4608) then stream their weights once.
  c.block_bytes = 512 * 1024;
  c.max_block_rows = 256;
  c.input = Qs8GemmInput::kS8;
  c.gemmlowp_s8_panels = gemmlowp;
  c.fp64_s8_panels = fp64;
  return c;
}

// Requantization as TFLite's MultiplyByQuantizedMultiplier (gemmlowp).
void PYRT_AMX_NAME(Qs8Gemm32x32c4GemmlowpAmx)(const Qs8GemmS8PanelsArgs& g, int rows,
                                              const int8_t* a, size_t a_stride, int segments,
                                              size_t segment_stride, int p0, int p1, int8_t* c,
                                              size_t ldc);

// Requantization in double with rounding half away from zero (the
// FULLY_CONNECTED reference).
void PYRT_AMX_NAME(Qs8Gemm32x32c4Fp64Amx)(const Qs8GemmS8PanelsArgs& g, int rows,
                                          const int8_t* a, size_t a_stride, int segments,
                                          size_t segment_stride, int p0, int p1, int8_t* c,
                                          size_t ldc);

}  // namespace pyrt
