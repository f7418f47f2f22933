// Compiled with the avx512vnni flags plus -mamx-tile -mamx-int8 (see
// CMakeLists.txt); called only when the CPU has AMX-INT8 and the OS granted
// the tile data (the amx path of kernels/isa.h). With PYRT_EMULATE_AMX (the
// test module, AVX-512 flags only) the tile intrinsics come from the
// software model in csrc/testing/amx_tile_model.h instead.
#include "kernels/qs8_gemm/amx/qs8_gemm_32x32c4_amx.h"

#include <immintrin.h>

#include <cstdint>

#ifdef PYRT_EMULATE_AMX
#include "testing/amx_tile_model.h"
#endif

#include "kernels/x86/avx512vnni/requant_avx512vnni.h"

namespace pyrt {
namespace {

// ldtilecfg's 64-byte operand (palette 1; tiles 8-15 and reserved bytes 0).
struct alignas(64) TileConfig {
  uint8_t palette_id;
  uint8_t start_row;
  uint8_t reserved[14];
  uint16_t colsb[16];
  uint8_t rows[16];
};
static_assert(sizeof(TileConfig) == 64, "ldtilecfg reads 64 bytes");

// Tile numbers (GCC pastes the intrinsics' tile argument into the asm, so
// the calls below spell them as literals):
//   tmm0 tmm1: C rows 0-15, columns 0-15 / 16-31     tmm4: A rows 0-15
//   tmm2 tmm3: C rows 16-31, columns 0-15 / 16-31    tmm5: A rows 16-31
//   tmm6 tmm7: B columns 0-15 / 16-31 (16 k quads each)
// Tiles a call does not use stay unconfigured (rows = colsb = 0).
inline void Configure(TileConfig& cfg, int rows0, int rows1, bool two_cols) {
  cfg = TileConfig{};
  cfg.palette_id = 1;
  auto set = [&](int t, int rows, int colsb) {
    cfg.rows[t] = static_cast<uint8_t>(rows);
    cfg.colsb[t] = static_cast<uint16_t>(colsb);
  };
  set(0, rows0, 64);
  set(4, rows0, 64);
  set(6, 16, 64);
  if (two_cols) {
    set(1, rows0, 64);
    set(7, 16, 64);
  }
  if (rows1 > 0) {
    set(2, rows1, 64);
    set(5, rows1, 64);
    if (two_cols) set(3, rows1, 64);
  }
  // GCC's _tile_loadconfig names only the first 8 bytes of the operand as
  // read: make sure every byte is in memory before it runs.
  __asm__ volatile("" : : "r"(&cfg) : "memory");
  _tile_loadconfig(&cfg);
}

// mr (<= 32) x nr (<= 32) outputs: kRowTiles A tiles (mr > 16) by kColTiles
// B tiles (nr > 16) of C sums over all of kp, stored to `sums` [32][32].
template <int kRowTiles, int kColTiles>
inline void Multiply(int mr, int kp, const int8_t* a, size_t a_stride, const int8_t* b,
                     int32_t (*sums)[32]) {
  constexpr long kPanelStride = kQs8GemmAmxNr * 4;  // one k quad of the panel
  TileConfig cfg;
  Configure(cfg, kRowTiles == 2 ? 16 : mr, kRowTiles == 2 ? mr - 16 : 0, kColTiles == 2);
  _tile_zero(0);
  if (kColTiles == 2) _tile_zero(1);
  if (kRowTiles == 2) {
    _tile_zero(2);
    if (kColTiles == 2) _tile_zero(3);
  }
  const long stride = static_cast<long>(a_stride);
  for (int k = 0; k < kp; k += kQs8GemmAmxKBlock) {
    const int8_t* bk = b + static_cast<size_t>(k / 4) * kPanelStride;
    _tile_loadd(6, bk, kPanelStride);
    if (kColTiles == 2) _tile_loadd(7, bk + 64, kPanelStride);
    _tile_loadd(4, a + k, stride);
    _tile_dpbssd(0, 4, 6);
    if (kColTiles == 2) _tile_dpbssd(1, 4, 7);
    if (kRowTiles == 2) {
      _tile_loadd(5, a + 16 * a_stride + k, stride);
      _tile_dpbssd(2, 5, 6);
      if (kColTiles == 2) _tile_dpbssd(3, 5, 7);
    }
  }
  constexpr long kSumStride = 32 * sizeof(int32_t);
  _tile_stored(0, &sums[0][0], kSumStride);
  if (kColTiles == 2) _tile_stored(1, &sums[0][16], kSumStride);
  if (kRowTiles == 2) {
    _tile_stored(2, &sums[16][0], kSumStride);
    if (kColTiles == 2) _tile_stored(3, &sums[16][16], kSumStride);
  }
  // Back to the init state: the OS need not save 8 KB of tiles on a
  // context switch between calls.
  _tile_release();
}

template <typename Requant>
void Gemm(int mr, int nr, int kp, const int8_t* a, size_t a_stride, const int8_t* b, int8_t* c,
          size_t c_stride, const Qs8GemmEpilogue& ep) {
  alignas(64) int32_t sums[32][32];
  const bool two_rows = mr > 16, two_cols = nr > 16;
  if (two_rows && two_cols) Multiply<2, 2>(mr, kp, a, a_stride, b, sums);
  else if (two_rows) Multiply<2, 1>(mr, kp, a, a_stride, b, sums);
  else if (two_cols) Multiply<1, 2>(mr, kp, a, a_stride, b, sums);
  else Multiply<1, 1>(mr, kp, a, a_stride, b, sums);
  // The epilogue of the avx512vnni kernels (its sums start from the bias;
  // these get it here). Columns past nr hold sums of zero weights and are
  // not stored; rows past mr were never written and are not read.
  const __m512i bias0 = Load16(ep.bias), bias1 = Load16(ep.bias + 16);
  if (two_cols) {
    const Requant rq0(ep, 0), rq1(ep, 16);
    for (int r = 0; r < mr; r += 2) {
      const int r2 = r + 1 < mr ? r + 1 : r;  // an odd last row pairs with itself
      const __m512i a0 = _mm512_add_epi32(_mm512_load_si512(&sums[r][0]), bias0);
      const __m512i a1 = _mm512_add_epi32(_mm512_load_si512(&sums[r][16]), bias1);
      const __m512i b0 = _mm512_add_epi32(_mm512_load_si512(&sums[r2][0]), bias0);
      const __m512i b1 = _mm512_add_epi32(_mm512_load_si512(&sums[r2][16]), bias1);
      Store2x32(rq0(a0), rq1(a1), rq0(b0), rq1(b1), ep, nr, c + r * c_stride, c + r2 * c_stride);
    }
  } else {
    const Requant rq(ep, 0);
    for (int r = 0; r < mr; ++r)
      Store16(rq(_mm512_add_epi32(_mm512_load_si512(&sums[r][0]), bias0)), ep, nr,
              c + r * c_stride);
  }
}

}  // namespace

void PYRT_AMX_NAME(Qs8Gemm32x32c4GemmlowpAmx)(int mr, int nr, int kp, const int8_t* a,
                                             size_t a_stride, const int8_t* b, int8_t* c,
                                             size_t c_stride, const Qs8GemmEpilogue& ep) {
  if (ep.any_int32_min_multiplier) {
    Gemm<GemmlowpRequant16<true, true>>(mr, nr, kp, a, a_stride, b, c, c_stride, ep);
  } else if (ep.any_left_shift) {
    Gemm<GemmlowpRequant16<true, false>>(mr, nr, kp, a, a_stride, b, c, c_stride, ep);
  } else {
    Gemm<GemmlowpRequant16<false, false>>(mr, nr, kp, a, a_stride, b, c, c_stride, ep);
  }
}

void PYRT_AMX_NAME(Qs8Gemm32x32c4Fp64Amx)(int mr, int nr, int kp, const int8_t* a,
                                         size_t a_stride, const int8_t* b, int8_t* c,
                                         size_t c_stride, const Qs8GemmEpilogue& ep) {
  Gemm<Fp64Requant16>(mr, nr, kp, a, a_stride, b, c, c_stride, ep);
}

}  // namespace pyrt
