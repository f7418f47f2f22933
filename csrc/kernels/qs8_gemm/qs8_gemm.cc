#include "kernels/qs8_gemm/qs8_gemm.h"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "kernels/packed_requant.h"
#include "kernels/row_tiles.h"
#include "kernels/weight_sums_s8.h"

#if defined(__x86_64__)
#include "kernels/qs8_gemm/amx/qs8_gemm_32x32c4_amx.h"  // constants; kernels if PYRT_HAVE_AMX_KERNELS
#include "kernels/qs8_gemm/avx2/qs8_gemm_6x16c2_avx2.h"
#include "kernels/qs8_gemm/avx2/qs8_igemm_6x16c2_avx2.h"
#include "kernels/qs8_gemm/avx512vnni/qs8_gemm_8x32c4_avx512vnni.h"
#include "kernels/qs8_gemm/avxvnni/qs8_gemm_6x16c4_avxvnni.h"
#define PYRT_HAVE_X86_KERNELS 1
#endif
#if defined(__aarch64__)
#include "kernels/qs8_gemm/neon/qs8_gemm_2x8c8_neon.h"
#include "kernels/qs8_gemm/neondot/qs8_gemm_4x16c4_neondot.h"
#include "kernels/qs8_gemm/neoni8mm/qs8_gemm_4x8c8_neoni8mm.h"
#define PYRT_HAVE_ARM_KERNELS 1
#endif

namespace pyrt {
namespace {


std::atomic<const Qs8GemmConfig*> amx_override{nullptr};

// Most rows of a segmented u8 tile (RunSegmentedLines' row pointers).
constexpr int kMaxSegmentedMr = 8;

// One weight column (src: its K values, nullptr for a padding column) into
// a panel from k_begin on: groups of kr values, nr groups apart, zeros past
// K. kKr: kr as a constant (0: the runtime kr).
template <int kKr>
void PackColumn(int8_t* column, const int8_t* src, int K, int kp, int nr, int k_begin,
                int runtime_kr = 0) {
  const int kr = kKr ? kKr : runtime_kr;
  for (int k = k_begin; k < kp; k += kr) {
    int8_t* group = column + static_cast<size_t>(k) * nr;
    if (src && k + kr <= K) {
      std::memcpy(group, src + k, kKr ? kKr : kr);
      continue;
    }
    for (int i = 0; i < kr; ++i) group[i] = src && k + i < K ? src[k + i] : 0;  // padding
  }
}

// How many leading k values of each full four-column block PackFourColumns
// packs (0 where it does not apply).
int FourColumnDepth(int kr, int K) {
#if defined(__SSE2__)
  if (kr == 2 || kr == 4) return K / 16 * 16;
#endif
  (void)kr;
  (void)K;
  return 0;
}

#if defined(__SSE2__)
// The first k_end values (a multiple of 16) of four adjacent columns (rows
// of src, K apart), 16 k at a time: a transpose of 4 x 16 bytes in units of
// kr bytes instead of one move per group (the moves were a fifth of
// loading MobileNetV3Small).
template <int kKr>
void PackFourColumns(int8_t* column, const int8_t* src, int K, int k_end, int nr) {
  static_assert(kKr == 2 || kKr == 4, "kr 2 or 4");
  const size_t step = static_cast<size_t>(kKr) * nr;  // from one group to the next
  auto load = [&](int row, int k) {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + static_cast<size_t>(row) * K + k));
  };
  auto store = [](int8_t* dst, __m128i v) { _mm_storeu_si128(reinterpret_cast<__m128i*>(dst), v); };
  auto store_halves = [step](int8_t* dst, __m128i v) {  // two groups of 8 bytes
    _mm_storel_epi64(reinterpret_cast<__m128i*>(dst), v);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(dst + step), _mm_unpackhi_epi64(v, v));
  };
  for (int k = 0; k < k_end; k += 16) {
    const __m128i r0 = load(0, k), r1 = load(1, k), r2 = load(2, k), r3 = load(3, k);
    int8_t* dst = column + static_cast<size_t>(k) * nr;
    if constexpr (kKr == 4) {  // 4 groups per row; a group of 4 columns is 16 bytes
      const __m128i lo01 = _mm_unpacklo_epi32(r0, r1), lo23 = _mm_unpacklo_epi32(r2, r3);
      const __m128i hi01 = _mm_unpackhi_epi32(r0, r1), hi23 = _mm_unpackhi_epi32(r2, r3);
      store(dst, _mm_unpacklo_epi64(lo01, lo23));
      store(dst + step, _mm_unpackhi_epi64(lo01, lo23));
      store(dst + 2 * step, _mm_unpacklo_epi64(hi01, hi23));
      store(dst + 3 * step, _mm_unpackhi_epi64(hi01, hi23));
    } else {  // 8 groups per row; a group of 4 columns is 8 bytes
      const __m128i lo01 = _mm_unpacklo_epi16(r0, r1), lo23 = _mm_unpacklo_epi16(r2, r3);
      const __m128i hi01 = _mm_unpackhi_epi16(r0, r1), hi23 = _mm_unpackhi_epi16(r2, r3);
      store_halves(dst, _mm_unpacklo_epi32(lo01, lo23));
      store_halves(dst + 2 * step, _mm_unpackhi_epi32(lo01, lo23));
      store_halves(dst + 4 * step, _mm_unpacklo_epi32(hi01, hi23));
      store_halves(dst + 6 * step, _mm_unpackhi_epi32(hi01, hi23));
    }
  }
}
#endif

}  // namespace

void OverrideQs8GemmAmxConfigForTesting(const Qs8GemmConfig* config) { amx_override = config; }

const Qs8GemmConfig* Qs8GemmConfigFor(Isa isa, int rows) {
#ifdef PYRT_HAVE_X86_KERNELS
  static const Qs8GemmConfig avx2 = [] {
    Qs8GemmConfig c;
    c.mr = kQs8GemmAvx2Mr;
    c.nr = kQs8GemmAvx2Nr;
    c.kr = 2;
    c.input = Qs8GemmInput::kS16;
    c.gemmlowp = Qs8Gemm6x16c2GemmlowpAvx2;
    c.fp64 = Qs8Gemm6x16c2Fp64Avx2;
    c.igemm_gemmlowp = Qs8Igemm6x16c2GemmlowpAvx2;
    return c;
  }();
  static const Qs8GemmConfig avx512vnni =
      DotProductU8Config(kQs8GemmAvx512VnniMr, kQs8GemmAvx512VnniNr,
                         Qs8Gemm8x32c4GemmlowpAvx512Vnni, Qs8Gemm8x32c4Fp64Avx512Vnni,
                         Qs8Gemm8x32c4SegmentedGemmlowpAvx512Vnni,
                         Qs8Gemm8x32c4GemmlowpFlippedS8Avx512Vnni);
  static const Qs8GemmConfig avxvnni =
      DotProductU8Config(kQs8GemmAvxVnniMr, kQs8GemmAvxVnniNr, Qs8Gemm6x16c4GemmlowpAvxVnni,
                         Qs8Gemm6x16c4Fp64AvxVnni, Qs8Gemm6x16c4SegmentedGemmlowpAvxVnni,
                         Qs8Gemm6x16c4GemmlowpFlippedS8AvxVnni);
  // (A build whose compiler lacks AMX has no such kernels; its table keeps
  // the entry empty, which the test module's override can still fill.)
#ifdef PYRT_HAVE_AMX_KERNELS
  static const Qs8GemmConfig amx = AmxConfig(Qs8Gemm32x32c4GemmlowpAmx, Qs8Gemm32x32c4Fp64Amx);
#else
  static const Qs8GemmConfig amx = AmxConfig(nullptr, nullptr);
#endif
  if (IsaAtLeast(isa, Isa::kAmx) && (rows == 0 || rows >= kQs8GemmAmxMinRows)) {
    const Qs8GemmConfig* override_config = amx_override.load();
    if (override_config) return override_config;
    if (amx.gemmlowp_s8_panels) return &amx;
  }
  if (IsaAtLeast(isa, Isa::kAvx512Vnni)) return &avx512vnni;
  if (IsaAtLeast(isa, Isa::kAvxVnni)) return &avxvnni;
  if (IsaAtLeast(isa, Isa::kAvx2)) return &avx2;
#endif
#ifdef PYRT_HAVE_ARM_KERNELS
  // All three read int8 A rows; neon and neoni8mm share the [kp/8][NR][8]
  // packing (smmla takes 2 columns x 8 k as one register).
  auto arm = [](int mr, int nr, int kr, Qs8GemmS8Ukernel gemmlowp, Qs8GemmS8Ukernel fp64) {
    Qs8GemmConfig c;
    c.mr = mr;
    c.nr = nr;
    c.kr = kr;
    c.input = Qs8GemmInput::kS8;
    c.gemmlowp_s8 = gemmlowp;
    c.fp64_s8 = fp64;
    return c;
  };
  static const Qs8GemmConfig neon = arm(kQs8GemmNeonMr, kQs8GemmNeonNr, 8,
                                        Qs8Gemm2x8c8GemmlowpNeon, Qs8Gemm2x8c8Fp64Neon);
  static const Qs8GemmConfig neondot =
      arm(kQs8GemmNeonDotMr, kQs8GemmNeonDotNr, 4, Qs8Gemm4x16c4GemmlowpNeonDot,
          Qs8Gemm4x16c4Fp64NeonDot);
  static const Qs8GemmConfig neoni8mm =
      arm(kQs8GemmNeonI8mmMr, kQs8GemmNeonI8mmNr, 8, Qs8Gemm4x8c8GemmlowpNeonI8mm,
          Qs8Gemm4x8c8Fp64NeonI8mm);
  if (IsaAtLeast(isa, Isa::kNeonI8mm)) return &neoni8mm;
  if (IsaAtLeast(isa, Isa::kNeonDot)) return &neondot;
  if (IsaAtLeast(isa, Isa::kNeon)) return &neon;
#endif
  (void)isa;
  (void)rows;
  return nullptr;
}

const Qs8GemmConfig* Qs8GemmSegmentedConfigFor(Isa isa, int rows, int cols, int run, int runs) {
#ifdef PYRT_HAVE_X86_KERNELS
  if (IsaAtLeast(isa, Isa::kAmx) && run < kQs8GemmAmxKBlock) {
    // AMX over im2col (rows of 8 bytes or more copied whole) where it beat
    // the avx512vnni kernels, whose time grows with k and columns (1 thread,
    // k 100-147: 64 columns 0.77-0.85x, 32 columns 0.99-1.19x; a 3x3 stem's
    // k of 27: 1.3x).
    const Qs8GemmConfig* vnni = Qs8GemmConfigFor(Isa::kAvx512Vnni, rows);
    const bool amx = Qs8GemmConfigFor(isa, rows) != vnni;
    return amx && run >= 8 && run * runs >= 100 && cols >= 64 ? nullptr : vnni;
  }
#endif
  (void)cols;
  (void)run;
  (void)runs;
  return Qs8GemmConfigFor(isa, rows);
}

bool PackedQs8Gemm::Supported(Isa isa) { return Qs8GemmConfigFor(isa) != nullptr; }

int PackedQs8Gemm::SegmentGroup(const Qs8GemmConfig& c) {
  const bool segmented =
      c.gemmlowp_s8_panels || (c.segmented_gemmlowp_u8 && c.mr <= kMaxSegmentedMr);
  return segmented ? std::max(c.kr, c.kp_multiple) : 0;
}

void PackedQs8Gemm::Init(Isa isa, Qs8Requant requant, int N, int K, const int8_t* B,
                         const Qs8RequantParams& p, int rows) {
  Init(Qs8GemmConfigFor(isa, rows), requant, N, K, B, p);  // the caller checked Supported(isa)
}

void PackedQs8Gemm::Init(const Qs8GemmConfig* config, Qs8Requant requant, int N, int K,
                         const int8_t* B, const Qs8RequantParams& p) {
  config_ = config;
  const bool gemmlowp = requant == Qs8Requant::kGemmlowp;
  ukernel_ = gemmlowp ? config_->gemmlowp : config_->fp64;
  ukernel_u8_ = gemmlowp ? config_->gemmlowp_u8 : config_->fp64_u8;
  ukernel_s8_ = gemmlowp ? (config_->input == Qs8GemmInput::kS8 ? config_->gemmlowp_s8
                                                               : config_->gemmlowp_s8_flipped)
                        : config_->fp64_s8;
  panels_s8_ = gemmlowp ? config_->gemmlowp_s8_panels : config_->fp64_s8_panels;
  igemm_ = gemmlowp ? config_->igemm_gemmlowp : nullptr;
  segmented_u8_ = gemmlowp && config_->mr <= kMaxSegmentedMr ? config_->segmented_gemmlowp_u8
                                                              : nullptr;
  mr_ = config_->mr;
  nr_ = config_->nr;
  N_ = N;
  K_ = K;
  const int kr = config_->kr, k_multiple = std::max(kr, config_->kp_multiple);
  kp_ = (K + k_multiple - 1) / k_multiple * k_multiple;
  const int panels = (N + nr_ - 1) / nr_, padded_n = panels * nr_;
  const size_t row_bytes = static_cast<size_t>(kp_) * AElementBytes();
  block_rows_ = static_cast<int>(
      std::min<size_t>(config_->max_block_rows, config_->block_bytes / row_bytes));
  block_rows_ = std::max(mr_, block_rows_ / mr_ * mr_);
  const size_t requant_bytes = gemmlowp ? GemmlowpRequantBytes(nr_) : Fp64RequantBytes(nr_);
  panel_bytes_ = (static_cast<size_t>(kp_) * nr_ + requant_bytes + 63) / 64 * 64;

  // Locals, not members, in the loop: stores through int8_t* may alias
  // *this, which made the compiler reload per weight. Each source row is
  // read in order and its k groups stored kr bytes at a time, nr groups
  // apart; one panel (kp * nr bytes) stays in L1 while it is filled.
  const int nr = nr_, kp = kp_;
  b_.reset(new int8_t[static_cast<size_t>(panels) * panel_bytes_]);
  int8_t* dst = b_.get();
  const int four_depth = nr % 4 == 0 ? FourColumnDepth(kr, K) : 0;
  for (int n0 = 0; n0 < padded_n; n0 += nr, dst += panel_bytes_) {
    const int four_columns = four_depth ? std::min(nr, N - n0) / 4 * 4 : 0;
#if defined(__SSE2__)
    for (int j = 0; j < four_columns; j += 4) {
      const int8_t* src = B + static_cast<size_t>(n0 + j) * K;
      if (kr == 4) PackFourColumns<4>(dst + kr * j, src, K, four_depth, nr);
      if (kr == 2) PackFourColumns<2>(dst + kr * j, src, K, four_depth, nr);
    }
#endif
    for (int j = 0; j < nr; ++j) {
      int8_t* column = dst + kr * j;
      const int8_t* src = n0 + j < N ? B + static_cast<size_t>(n0 + j) * K : nullptr;
      const int k_begin = j < four_columns ? four_depth : 0;
      switch (kr) {  // a constant group size: one move per group, not a libc call
        case 2: PackColumn<2>(column, src, K, kp, nr, k_begin); break;
        case 4: PackColumn<4>(column, src, K, kp, nr, k_begin); break;
        case 8: PackColumn<8>(column, src, K, kp, nr, k_begin); break;
        default: PackColumn<0>(column, src, K, kp, nr, k_begin, kr); break;
      }
    }
    // The bytes between the weights, the requantization and the next panel.
    std::memset(dst + static_cast<size_t>(kp) * nr, 0, panel_bytes_ - static_cast<size_t>(kp) * nr);
  }

  if (config_->input != Qs8GemmInput::kU8Offset128) {
    PackRequant(requant, p, p.bias);
    return;
  }
  // A holds x + 128: sum((x + 128) * w) = sum(x * w) + 128 * sum(w), so the
  // bias takes -128 * sum(w), wrapping like the reference's int32 sums.
  std::vector<int32_t> sums(N), bias(N);
  WeightRowSumsS8(B, N, K, sums.data());
  for (int n = 0; n < N; ++n) {
    bias[n] = static_cast<int32_t>(static_cast<uint32_t>(p.bias[n]) - 128u * static_cast<uint32_t>(sums[n]));
  }
  PackRequant(requant, p, bias.data());
}

// Writes each panel's requantization after its weights (packed_requant.h),
// and the epilogue's scalars and facts into out_.
void PackedQs8Gemm::PackRequant(Qs8Requant requant, const Qs8RequantParams& p,
                                const int32_t* bias) {
  out_ = EpilogueScalars(p.output_zero_point, p.act_min, p.act_max);
  const int nr = nr_;
  for (int n0 = 0, panel = 0; n0 < N_; n0 += nr, ++panel) {
    int32_t* q = reinterpret_cast<int32_t*>(RequantOf(panel));
    for (int j = 0; j < nr && n0 + j < N_; ++j) {
      const int n = n0 + j;
      if (requant == Qs8Requant::kFp64) {
        WriteFp64Requant(q, nr, j, bias[n], p.scale[n]);
      } else {
        WriteGemmlowpRequant(q, nr, j, bias[n], p.multiplier[n], p.shift[n], out_);
      }
    }
  }
}

namespace {

template <typename T, typename Ukernel>
void RunPanelsWith(Ukernel ukernel, int mr_max, bool even_tiles, int nr_max, int N, int kp,
                   const int8_t* packed, size_t panel_bytes, const Qs8GemmEpilogue& out, int rows,
                   const T* a, size_t lda, int p0, int p1, int8_t* c, size_t ldc) {
  for (int p = p0; p < p1; ++p) {
    const int n0 = p * nr_max, nr = std::min(nr_max, N - n0);
    const int8_t* b = packed + static_cast<size_t>(p) * panel_bytes;
    const Qs8GemmEpilogue ep = RequantView(out, b + static_cast<size_t>(kp) * nr_max, nr_max);
    ForEachRowTile(rows, mr_max, even_tiles, [&](int r, int count) {
      ukernel(count, nr, kp, a + static_cast<size_t>(r) * lda, lda, b, c + r * ldc + n0, ldc, ep);
    });
  }
}

}  // namespace

void PackedQs8Gemm::RunIndirectPanels(int rows, const int16_t* const* a, int segments,
                                      size_t segment_stride, int p0, int p1, int8_t* c,
                                      size_t ldc) const {
  const int segment_kp = kp_ / segments;
  for (int p = p0; p < p1; ++p) {
    const int n0 = p * nr_, nr = std::min(nr_, N_ - n0);
    const int8_t* b = b_.get() + static_cast<size_t>(p) * panel_bytes_;
    const Qs8GemmEpilogue ep = RequantView(out_, b + static_cast<size_t>(kp_) * nr_, nr_);
    ForEachRowTile(rows, mr_, config_->even_row_tiles, [&](int r, int count) {
      igemm_(count, nr, segments, segment_kp, segment_stride, a + r, b, c + r * ldc + n0, ldc, ep);
    });
  }
}

void PackedQs8Gemm::RunPanels(int rows, const uint8_t* a, size_t lda, int p0, int p1, int8_t* c,
                              size_t ldc) const {
  RunPanelsWith(ukernel_u8_, mr_, config_->even_row_tiles, nr_, N_, kp_, b_.get(), panel_bytes_,
                out_, rows, a, lda, p0, p1, c, ldc);
}

void PackedQs8Gemm::RunPanels(int rows, const int8_t* a, size_t lda, int p0, int p1, int8_t* c,
                              size_t ldc) const {
  if (panels_s8_) {
    const Qs8GemmS8PanelsArgs args{N_, kp_, b_.get(), panel_bytes_, &out_};
    panels_s8_(args, rows, a, lda, 1, 0, p0, p1, c, ldc);
    return;
  }
  RunPanelsWith(ukernel_s8_, mr_, config_->even_row_tiles, nr_, N_, kp_, b_.get(), panel_bytes_,
                out_, rows, a, lda, p0, p1, c, ldc);
}

void PackedQs8Gemm::RunPanels(int rows, const int16_t* a, size_t lda, int p0, int p1, int8_t* c,
                              size_t ldc) const {
  RunPanelsWith(ukernel_, mr_, config_->even_row_tiles, nr_, N_, kp_, b_.get(), panel_bytes_,
                out_, rows, a, lda, p0, p1, c, ldc);
}

void PackedQs8Gemm::RunSegmentedLines(int M, const uint8_t* a, size_t lda, int width,
                                      size_t line_stride, int segments, size_t segment_stride,
                                      int8_t* C, size_t ldc, ThreadPool* pool) const {
  const int segment_kp = kp_ / segments;
  ForEachUnit(
      M, 0,
      [&](int m0, int count, int p0, int p1, uint8_t*) {
        for (int p = p0; p < p1; ++p) {
          const int n0 = p * nr_, nr = std::min(nr_, N_ - n0);
          const int8_t* b = b_.get() + static_cast<size_t>(p) * panel_bytes_;
          const Qs8GemmEpilogue ep = RequantView(out_, b + static_cast<size_t>(kp_) * nr_, nr_);
          // Row pointers tile by tile, stepping along the lines (tiles
          // cross them: whole mr-row tiles on 7-pixel rows too).
          int line = m0 / width, x = m0 % width;
          ForEachRowTile(count, mr_, config_->even_row_tiles, [&](int r, int rows) {
            const uint8_t* tile[kMaxSegmentedMr];
            for (int i = 0; i < rows; ++i) {
              tile[i] = a + line * line_stride + x * lda;
              if (++x == width) x = 0, ++line;
            }
            segmented_u8_(rows, nr, segments, segment_kp, segment_stride, tile, b,
                          C + static_cast<size_t>(m0 + r) * ldc + n0, ldc, ep);
          });
        }
      },
      nullptr, pool, SegmentedBlockRows(M));
}

int PackedQs8Gemm::InPlaceRows(int M, size_t lda) const {
  // Row m reads bytes [m * lda, m * lda + kp); A ends at (M - 1) * lda + K.
  const int64_t last_start = static_cast<int64_t>(M - 1) * static_cast<int64_t>(lda) + K_ - kp_;
  if (last_start < 0) return 0;
  return static_cast<int>(std::min<int64_t>(M, last_start / static_cast<int64_t>(lda) + 1));
}

void PackedQs8Gemm::RunInPlace(int M, const int8_t* a, size_t lda, int8_t* C, size_t ldc,
                               uint8_t* scratch, ThreadPool* pool) const {
  const int in_place = InPlaceRows(M, lda);
  const int K = K_, kp = kp_;
  ForEachUnit(
      M, SlotBytes(M),
      [&](int m0, int count, int p0, int p1, uint8_t* slot) {
        const int8_t* src = a + static_cast<size_t>(m0) * lda;
        if (m0 + count <= in_place) {
          RunPanels(count, src, lda, p0, p1, C + m0 * ldc, ldc);
          return;
        }
        int8_t* rows = reinterpret_cast<int8_t*>(slot);
        for (int r = 0; r < count; ++r) {  // the last rows: a padded copy
          int8_t* row = rows + static_cast<size_t>(r) * kp;
          std::memcpy(row, src + static_cast<size_t>(r) * lda, K);
          std::memset(row + K, 0, kp - K);
        }
        RunPanels(count, static_cast<const int8_t*>(rows), static_cast<size_t>(kp), p0, p1,
                  C + m0 * ldc, ldc);
      },
      scratch, pool);
}

}  // namespace pyrt
