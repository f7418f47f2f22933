// The fixed signature of the int8 GEMM microkernels with fused requantization.
//
// A microkernel computes an mr x nr tile (mr <= MR, nr <= NR of its ISA) of
//   C[m][n] = requant(sum_k A[m][k] * B[n][k] + bias[n])
// from int16 A rows (the int8 activations sign-extended, K padded to kp with
// zeros) and one panel of packed weights: [kp / 2][NR][2] int8, i.e. for
// each pair of k, NR columns of 2 consecutive weights (zero-padded columns
// and k beyond the real sizes). The weights stay int8 (the packed copy is
// no larger than the model's) and are sign-extended inside the kernel.
// Kernels never allocate and never fail.
#pragma once

#include <cstddef>
#include <cstdint>

namespace pyrt {

// Per-output-channel epilogue parameters: a view of one block's
// requantization, packed after the block's weights (kernels/packed_requant.h;
// index 0 = the block's first channel), plus the layer's scalars.
struct Qs8GemmEpilogue {
  const int32_t* bias = nullptr;           // folded with the input zero point
  // gemmlowp variant: MultiplyByQuantizedMultiplier(acc, multiplier, shift).
  const int32_t* multiplier = nullptr;     // Q31, >= 0
  const int32_t* left_shift = nullptr;     // max(shift, 0), <= 31
  const int32_t* right_shift = nullptr;    // max(-shift, 0), <= 31
  const int32_t* rounding_mask = nullptr;  // (1 << right_shift) - 1
  // Facts about the arrays that let a kernel leave steps out.
  bool any_left_shift = true;              // false: every left_shift is 0
  bool any_int32_min_multiplier = true;    // false: no multiplier is INT32_MIN
  bool right_shifts_1_to_23 = false;       // true: every right_shift is in [1, 23]
  // fp64 variant (FULLY_CONNECTED): round-half-away(acc * scale).
  const double* scale = nullptr;
  int32_t output_zero_point = 0;
  int32_t act_min = -128;
  int32_t act_max = 127;
};

using Qs8GemmUkernel = void (*)(int mr, int nr, int kp, const int16_t* a, size_t a_stride,
                                const int8_t* b, int8_t* c, size_t c_stride,
                                const Qs8GemmEpilogue& ep);

// The same for dot-product units that multiply u8 by s8 (vpdpbusd): A holds
// x + 128 as uint8 and weights are packed [kp / 4][NR][4]; the bias must then
// also fold -128 * sum(w) (PackedQs8Gemm does), which makes the sum exact.
using Qs8GemmU8Ukernel = void (*)(int mr, int nr, int kp, const uint8_t* a, size_t a_stride,
                                  const int8_t* b, int8_t* c, size_t c_stride,
                                  const Qs8GemmEpilogue& ep);

// The segmented form of a u8 microkernel (a convolution read in place from
// an x + 128 padded copy of its input, no im2col): row r of A is `segments`
// runs of segment_kp bytes (a multiple of 4), run s at a[r] + s *
// segment_stride; kp = segments * segment_kp, the weights packed as for kp.
using Qs8GemmU8SegmentedUkernel = void (*)(int mr, int nr, int segments, int segment_kp,
                                           size_t segment_stride, const uint8_t* const* a,
                                           const int8_t* b, int8_t* c, size_t c_stride,
                                           const Qs8GemmEpilogue& ep);

// The same for s8 x s8 units (Arm sdot, smmla, smull + sadalp): A rows stay
// int8 and weights are packed [kp / kr][NR][kr] (kr of the path's config).
using Qs8GemmS8Ukernel = void (*)(int mr, int nr, int kp, const int8_t* a, size_t a_stride,
                                  const int8_t* b, int8_t* c, size_t c_stride,
                                  const Qs8GemmEpilogue& ep);

// The indirect form of a kS16 microkernel (convolution without im2col): row
// r of A is `segments` runs of segment_kp int16 values, run s at
// a[r] + s * segment_stride; kp = segments * segment_kp.
using Qs8IgemmUkernel = void (*)(int mr, int nr, int segments, int segment_kp,
                                 size_t segment_stride, const int16_t* const* a, const int8_t* b,
                                 int8_t* c, size_t c_stride, const Qs8GemmEpilogue& ep);

// How a path's microkernels want A: sign-extended int16 rows, x + 128 as
// uint8 rows, or the int8 values themselves.
// What a panels kernel needs of the packed weights: N columns in panels of
// the config's nr, panel p at packed + p * panel_bytes, its requantization
// kp * nr bytes in (kernels/packed_requant.h); out holds the epilogue's
// scalars and facts.
struct Qs8GemmS8PanelsArgs {
  int N = 0, kp = 0;
  const int8_t* packed = nullptr;
  size_t panel_bytes = 0;
  const Qs8GemmEpilogue* out = nullptr;
};

// rows (any count) of int8 A, a_stride apart, times panels p0..p1-1, into
// C at c (column 0 of panel 0), ldc apart. A row is `segments` runs of
// kp / segments bytes, run s at s * segment_stride from the row's start (1
// and 0: one run; more: a convolution's filter rows read from a padded
// input in place). For kernels whose setup is worth sharing across many
// tiles (AMX: the tile configuration).
using Qs8GemmS8PanelsKernel = void (*)(const Qs8GemmS8PanelsArgs& g, int rows, const int8_t* a,
                                       size_t a_stride, int segments, size_t segment_stride,
                                       int p0, int p1, int8_t* c, size_t ldc);

enum class Qs8GemmInput { kS16, kU8Offset128, kS8 };

// One entry of the dispatch table of this family (qs8_gemm.cc fills one
// per kernel path): tile sizes, k grouping and the microkernels.
struct Qs8GemmConfig {
  int mr = 1, nr = 1;
  int kr = 2;  // k values per packed group: kp is K rounded up to kr
  int kp_multiple = 0;  // when set, kp is rounded up to it instead (AMX: 64-byte tile rows)
  // Rows of A per block: as many as fit block_bytes (the block stays in L2
  // while every column panel passes over it), at most max_block_rows.
  size_t block_bytes = 128 * 1024;
  int max_block_rows = 96;
  // Rows cut into tiles of even sizes (49 rows: 7 tiles of 7, not 6 of 8
  // and 1): for tiles whose few-row forms cannot hide the dot product's
  // latency (vpdpbusd; on Zen 5 a 1-row avx512vnni tile takes half the time
  // of an 8-row one). The avx2 tiles run 7x7 maps 8% slower that way.
  bool even_row_tiles = false;
  Qs8GemmInput input = Qs8GemmInput::kS16;
  // kS16 paths:
  Qs8GemmUkernel gemmlowp = nullptr, fp64 = nullptr;
  Qs8IgemmUkernel igemm_gemmlowp = nullptr;  // optional
  // kU8Offset128 paths:
  Qs8GemmU8Ukernel gemmlowp_u8 = nullptr, fp64_u8 = nullptr;
  Qs8GemmU8SegmentedUkernel segmented_gemmlowp_u8 = nullptr;  // optional
  // Optional: the gemmlowp kernel on int8 A read in place, each broadcast
  // quad's sign bits flipped (x ^ 0x80 is x + 128 as uint8), the same packed
  // weights; RunInPlace then skips the copy into x + 128 rows.
  Qs8GemmS8Ukernel gemmlowp_s8_flipped = nullptr;
  // kS8 paths: one-tile microkernels, or (when set, instead) panels kernels.
  Qs8GemmS8Ukernel gemmlowp_s8 = nullptr, fp64_s8 = nullptr;
  Qs8GemmS8PanelsKernel gemmlowp_s8_panels = nullptr, fp64_s8_panels = nullptr;
};

// The table entry of a vpdpbusd path (x + 128 rows, k in quads).
inline Qs8GemmConfig DotProductU8Config(int mr, int nr, Qs8GemmU8Ukernel gemmlowp,
                                        Qs8GemmU8Ukernel fp64,
                                        Qs8GemmU8SegmentedUkernel segmented = nullptr,
                                        Qs8GemmS8Ukernel gemmlowp_s8_flipped = nullptr) {
  Qs8GemmConfig c;
  c.mr = mr;
  c.nr = nr;
  c.kr = 4;
  c.input = Qs8GemmInput::kU8Offset128;
  c.gemmlowp_u8 = gemmlowp;
  c.fp64_u8 = fp64;
  c.segmented_gemmlowp_u8 = segmented;
  c.gemmlowp_s8_flipped = gemmlowp_s8_flipped;
  c.even_row_tiles = true;
  return c;
}

}  // namespace pyrt
