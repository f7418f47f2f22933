// Compiled with the avx512vnni flags plus -mamx-tile -mamx-int8 (see
// CMakeLists.txt); called only when the CPU has AMX-INT8 and the OS granted
// the tile data (the amx path of kernels/isa.h). With PYRT_EMULATE_AMX (the
// test module, AVX-512 flags only) the tile intrinsics come from the
// software model in csrc/testing/amx_tile_model.h instead.
#include "kernels/qs8_gemm/amx/qs8_gemm_32x32c4_amx.h"

#include <immintrin.h>

#include <algorithm>
#include <cstdint>

#ifdef PYRT_EMULATE_AMX
#include "testing/amx_tile_model.h"
#endif

#include "kernels/packed_requant.h"
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

// Keeps the tiles configured for one shape of C block while a call runs:
// ldtilecfg costs about as much as a short multiply, so it runs only when
// the shape changes, and the tiles go back to the init state when the call
// returns (the OS need not save 8 KB of tiles on a context switch, and
// other AMX code on this thread finds no state of ours).
class TileSession {
 public:
  TileSession() = default;
  TileSession(const TileSession&) = delete;
  TileSession& operator=(const TileSession&) = delete;
  ~TileSession() {
    if (shape_ >= 0) _tile_release();
  }
  void Use(int mr, bool two_cols) {
    const int shape = mr * 2 + (two_cols ? 1 : 0);
    if (shape == shape_) return;
    Configure(cfg_, mr > 16 ? 16 : mr, mr > 16 ? mr - 16 : 0, two_cols);
    shape_ = shape;
  }

 private:
  TileConfig cfg_;
  int shape_ = -1;
};

// How a row of A lies: `count` runs of kp / count bytes, `stride` apart.
struct Segments {
  int count;
  size_t stride;
  int kp;  // per run, a multiple of kQs8GemmAmxKBlock
};

// Weights are prefetched kWeightPrefetchSteps k steps ahead when their
// panel does not stay in L1 while its row tiles pass (kp * 32 bytes over
// kPrefetchedPanelBytes) or few row tiles pass at all (deep layers on small
// maps, which read each weight a few times per invoke and find them in
// memory, not cache: a whole model's weights do not stay in this VM's share
// of L3). The in-order tile loads cannot overlap those misses by themselves.
// ResNet50's 7x7 convs in the model's per-op profile (one thread, pinned):
// 3x3 x 512: 0.34-0.38 -> 0.30 ms; 1x1: 0.15-0.35 ms, 10-18% less.
constexpr size_t kPrefetchedPanelBytes = 32 * 1024;
constexpr int kPrefetchedPanelMaxRows = 4 * kQs8GemmAmxMr;
constexpr int kWeightPrefetchSteps = 2;

// mr (<= 32) x nr (<= 32) outputs: kRowTiles A tiles (mr > 16) by kColTiles
// B tiles (nr > 16) of C sums over all of kp, stored to `sums` [32][32].
// The tiles are configured for this shape (TileSession::Use).
template <int kRowTiles, int kColTiles>
inline void Multiply(const Segments& seg, const int8_t* a, size_t a_stride, const int8_t* b,
                     bool prefetch_b, int32_t (*sums)[32]) {
  constexpr long kPanelStride = kQs8GemmAmxNr * 4;  // one k quad of the panel
  _tile_zero(0);
  if (kColTiles == 2) _tile_zero(1);
  if (kRowTiles == 2) {
    _tile_zero(2);
    if (kColTiles == 2) _tile_zero(3);
  }
  const long stride = static_cast<long>(a_stride);
  // Each load comes right before the first multiply that needs it: tiles
  // are not renamed, so a load waits for the last multiply that read the
  // tile before, and this order lets it overlap the multiplies still queued.
  const int8_t* bk = b;
  for (int s = 0; s < seg.count; ++s) {
    const int8_t* as = a + s * seg.stride;
    for (int k = 0; k < seg.kp; k += kQs8GemmAmxKBlock, bk += 16 * kPanelStride) {
      // The rows' next 64 bytes into L1 while these multiply (a tile load
      // that misses L1 stalls the in-order tile pipeline).
      const int8_t* next = as + k + kQs8GemmAmxKBlock;
      for (int i = 0; i < 16 * kRowTiles; ++i)
        _mm_prefetch(reinterpret_cast<const char*>(next + i * a_stride), _MM_HINT_T0);
      if (prefetch_b) {
        const char* ahead = reinterpret_cast<const char*>(bk + kWeightPrefetchSteps * 16 * kPanelStride);
        for (int i = 0; i < 16 * kPanelStride; i += 64) _mm_prefetch(ahead + i, _MM_HINT_T0);
      }
      _tile_loadd(4, as + k, stride);
      _tile_loadd(6, bk, kPanelStride);
      _tile_dpbssd(0, 4, 6);
      if (kColTiles == 2) {
        _tile_loadd(7, bk + 64, kPanelStride);
        _tile_dpbssd(1, 4, 7);
      }
      if (kRowTiles == 2) {
        _tile_loadd(5, as + 16 * a_stride + k, stride);
        _tile_dpbssd(2, 5, 6);
        if (kColTiles == 2) _tile_dpbssd(3, 5, 7);
      }
    }
  }
  constexpr long kSumStride = 32 * sizeof(int32_t);
  _tile_stored(0, &sums[0][0], kSumStride);
  if (kColTiles == 2) _tile_stored(1, &sums[0][16], kSumStride);
  if (kRowTiles == 2) {
    _tile_stored(2, &sums[16][0], kSumStride);
    if (kColTiles == 2) _tile_stored(3, &sums[16][16], kSumStride);
  }
}

template <typename Requant>
void Gemm(TileSession& tiles, int mr, int nr, const Segments& seg, const int8_t* a,
          size_t a_stride, const int8_t* b, bool prefetch_b, int8_t* c, size_t c_stride,
          const Qs8GemmEpilogue& ep) {
  alignas(64) int32_t sums[32][32];
  const bool two_rows = mr > 16, two_cols = nr > 16;
  tiles.Use(mr, two_cols);
  if (two_rows && two_cols) Multiply<2, 2>(seg, a, a_stride, b, prefetch_b, sums);
  else if (two_rows) Multiply<2, 1>(seg, a, a_stride, b, prefetch_b, sums);
  else if (two_cols) Multiply<1, 2>(seg, a, a_stride, b, prefetch_b, sums);
  else Multiply<1, 1>(seg, a, a_stride, b, prefetch_b, sums);
  // The epilogue of the avx512vnni kernels (its sums start from the bias;
  // these get it here). Columns past nr hold sums of zero weights and are
  // not stored; rows past mr were never written and are not read.
  const __m512i bias0 = Load16(ep.bias), bias1 = Load16(ep.bias + 16);
  const ActRange8 range(ep);
  if (two_cols) {
    const Requant rq0(ep, 0), rq1(ep, 16);
    for (int r = 0; r < mr; r += 2) {
      const int r2 = r + 1 < mr ? r + 1 : r;  // an odd last row pairs with itself
      const __m512i a0 = _mm512_add_epi32(_mm512_load_si512(&sums[r][0]), bias0);
      const __m512i a1 = _mm512_add_epi32(_mm512_load_si512(&sums[r][16]), bias1);
      const __m512i b0 = _mm512_add_epi32(_mm512_load_si512(&sums[r2][0]), bias0);
      const __m512i b1 = _mm512_add_epi32(_mm512_load_si512(&sums[r2][16]), bias1);
      Store2x32(rq0(a0), rq1(a1), rq0(b0), rq1(b1), range, nr, c + r * c_stride,
                c + r2 * c_stride);
    }
  } else {
    const Requant rq(ep, 0);
    for (int r = 0; r < mr; ++r)
      Store16(rq(_mm512_add_epi32(_mm512_load_si512(&sums[r][0]), bias0)), range, nr,
              c + r * c_stride);
  }
}

// Panel by panel, each panel's weights staying in L1 while the row tiles
// of the block pass over them, as RunPanels does for one-call kernels. The
// full 32-row tiles first, then the last, shorter one: the tiles are
// configured twice per call, not twice per panel.
template <typename Requant>
void Panels(const Qs8GemmS8PanelsArgs& g, int rows, const int8_t* a, size_t a_stride,
            int segments, size_t segment_stride, int p0, int p1, int8_t* c, size_t ldc) {
  const Segments seg{segments, segment_stride, g.kp / segments};
  const bool prefetch_b = static_cast<size_t>(g.kp) * kQs8GemmAmxNr > kPrefetchedPanelBytes ||
                          rows <= kPrefetchedPanelMaxRows;
  TileSession tiles;
  auto row_tiles = [&](int r0, int r1) {
    for (int p = p0; p < p1; ++p) {
      const int n0 = p * kQs8GemmAmxNr, nr = std::min(kQs8GemmAmxNr, g.N - n0);
      const int8_t* b = g.packed + static_cast<size_t>(p) * g.panel_bytes;
      const Qs8GemmEpilogue ep =
          RequantView(*g.out, b + static_cast<size_t>(g.kp) * kQs8GemmAmxNr, kQs8GemmAmxNr);
      for (int r = r0; r < r1; r += kQs8GemmAmxMr) {
        Gemm<Requant>(tiles, std::min(kQs8GemmAmxMr, r1 - r), nr, seg,
                      a + static_cast<size_t>(r) * a_stride, a_stride, b, prefetch_b,
                      c + r * ldc + n0, ldc, ep);
      }
    }
  };
  const int full = rows / kQs8GemmAmxMr * kQs8GemmAmxMr;
  if (full > 0) row_tiles(0, full);
  if (full < rows) row_tiles(full, rows);
}

}  // namespace

void PYRT_AMX_NAME(Qs8Gemm32x32c4GemmlowpAmx)(const Qs8GemmS8PanelsArgs& g, int rows,
                                             const int8_t* a, size_t a_stride, int segments,
                                             size_t segment_stride, int p0, int p1, int8_t* c,
                                             size_t ldc) {
  const Qs8GemmEpilogue& ep = *g.out;
  if (ep.any_int32_min_multiplier) {
    Panels<GemmlowpRequant16<true, true>>(g, rows, a, a_stride, segments, segment_stride, p0, p1,
                                          c, ldc);
  } else if (ep.any_left_shift) {
    Panels<GemmlowpRequant16<true, false>>(g, rows, a, a_stride, segments, segment_stride, p0, p1,
                                           c, ldc);
  } else if (ep.right_shifts_1_to_23) {
    Panels<GemmlowpRequant16Merged>(g, rows, a, a_stride, segments, segment_stride, p0, p1, c,
                                    ldc);
  } else {
    Panels<GemmlowpRequant16<false, false>>(g, rows, a, a_stride, segments, segment_stride, p0,
                                            p1, c, ldc);
  }
}

void PYRT_AMX_NAME(Qs8Gemm32x32c4Fp64Amx)(const Qs8GemmS8PanelsArgs& g, int rows,
                                         const int8_t* a, size_t a_stride, int segments,
                                         size_t segment_stride, int p0, int p1, int8_t* c,
                                         size_t ldc) {
  Panels<Fp64Requant16>(g, rows, a, a_stride, segments, segment_stride, p0, p1, c, ldc);
}

}  // namespace pyrt
