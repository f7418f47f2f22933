#include "kernels/conv_s8_kernel.h"

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "core/thread_pool.h"

#if defined(__x86_64__)
#include "kernels/qs8_winograd/avx2/qs8_winograd_avx2.h"
#define PYRT_HAVE_X86_KERNELS 1
#endif

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace pyrt {
namespace {

// n int8 values in the GEMM's A format (written so compilers vectorize it).
template <typename T>
inline void Widen(const int8_t* src, int n, T* dst) {
  for (int i = 0; i < n; ++i) dst[i] = Qs8GemmA<T>::From(src[i]);
}


// x + 128 as uint8, 8 at a time in a 64-bit register (the vectorized loop
// would go scalar on short runs: a filter row of 3 channels is 9 bytes); a
// run of 8 or more ends with one 8-byte step that overlaps the previous.
inline void Xor128x8(const int8_t* src, uint8_t* dst) {
  uint64_t v;
  std::memcpy(&v, src, 8);
  v ^= 0x8080808080808080ull;
  std::memcpy(dst, &v, 8);
}

#if defined(__SSE2__)
// 8 int8 sign-extended to int16 (x86-64 baseline: no pmovsxbw before SSE4.1).
inline void Widen8(const int8_t* src, int16_t* dst) {
  const __m128i v = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(src));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(dst), _mm_srai_epi16(_mm_unpacklo_epi8(v, v), 8));
}

// The int16 rows of the vpmaddwd paths. Short runs (a filter row of 3
// channels is 9 values) in 8-value steps, the last one overlapping the
// previous: the compiler's vector loop would go scalar on them.
template <>
inline void Widen(const int8_t* src, int n, int16_t* dst) {
  if (n < 8 || n >= 32) {
    for (int i = 0; i < n; ++i) dst[i] = src[i];
    return;
  }
  for (int i = 0; i + 8 < n; i += 8) Widen8(src + i, dst + i);
  Widen8(src + n - 8, dst + n - 8);
}
#endif

template <>
inline void Widen(const int8_t* src, int n, uint8_t* dst) {
  if (n < 8 || n >= 32) {  // long runs: the compiler's vector loop
    for (int i = 0; i < n; ++i) dst[i] = Qs8GemmA<uint8_t>::From(src[i]);
    return;
  }
  for (int i = 0; i + 8 < n; i += 8) Xor128x8(src + i, dst + i);
  Xor128x8(src + n - 8, dst + n - 8);
}

// The int8 rows of the amx and Arm paths: short runs as the uint8 ones, in
// overlapping 8-byte copies (a libc call per 9- or 21-byte filter row of a
// 3-channel input cost more than the copy).
template <>
inline void Widen(const int8_t* src, int n, int8_t* dst) {
  if (n < 8 || n >= 32) {
    std::memcpy(dst, src, n);
    return;
  }
  for (int i = 0; i + 8 < n; i += 8) std::memcpy(dst + i, src + i, 8);
  std::memcpy(dst + n - 8, src + n - 8, 8);
}

// Widest output the indirect path takes: beyond it the GEMM dominates and
// im2col costs little, while the padded copy grows with the image.
constexpr int kIndirectMaxOutC = 64;
// Winograd keeps a layer's transformed filter from load on where it has at
// most this many bytes per 2x2 output tile (ResNet50's 56x56 and 28x28
// stages), else transforms it per run where the layer has at least
// kWinogradMinTilesPerRun tiles (its 14x14 and 7x7 stages: 1.7x and 1.25x
// faster than the GEMM; kept, their filters would take 37 MB) and every
// tile's transformed input stays within kWinogradMaxPerRunInputBytes
// (ResNet50: 400 KB; it is scratch, read by every panel).
constexpr int64_t kWinogradMaxBytesPerTile = 4096;
constexpr int64_t kWinogradMinTilesPerRun = 16;
constexpr int64_t kWinogradMaxPerRunInputBytes = int64_t{2} << 20;
// Below this many values one thread writes a padded copy.
constexpr size_t kMinParallelWidenValues = 32 * 1024;
// Zero int16 values after the padded copy: a filter row run rounded up to a
// k pair reads one value past the last pixel.
constexpr size_t kIndirectSlack = 16;

// The GEMM's gemmlowp requantization, viewing the per-channel vectors.
Qs8RequantParams GemmlowpParams(const std::vector<int32_t>& bias,
                                const std::vector<int32_t>& multiplier,
                                const std::vector<int32_t>& shift, int32_t output_zero_point,
                                int32_t act_min, int32_t act_max) {
  Qs8RequantParams p;
  p.bias = bias.data();
  p.multiplier = multiplier.data();
  p.shift = shift.data();
  p.output_zero_point = output_zero_point;
  p.act_min = act_min;
  p.act_max = act_max;
  return p;
}

}  // namespace

void ConvS8Kernel::Init(Isa isa, const ConvGeometry& g, const int8_t* filter,
                        int32_t input_zero_point, const std::vector<int32_t>& bias,
                        const std::vector<int32_t>& multiplier, const std::vector<int32_t>& shift,
                        int32_t output_zero_point, int32_t act_min, int32_t act_max) {
  g_ = g;
  filter_ = filter;
  input_zero_point_ = input_zero_point;
  indirect_ = segmented_ = winograd_ = false;  // until chosen below (Prepare may run again)
  run_block_ = 0;
  packed_ = PackedQs8Gemm::Supported(isa);
#ifdef PYRT_HAVE_X86_KERNELS
  // AVX2's vpmaddwd is the slowest exact int8 product; the dot-product
  // paths keep their GEMMs. Winograd where the map has enough 2x2 tiles to
  // reuse the transformed filter (16 int16 per input and output channel).
  const int64_t tiles = Qs8WinogradTiles(g);
  const bool at_load = Qs8WinogradFilterBytes(g) <= kWinogradMaxBytesPerTile * tiles;
  const bool per_run = tiles >= kWinogradMinTilesPerRun &&
                       Qs8WinogradInputBytes(g) <= kWinogradMaxPerRunInputBytes;
  if (isa == Isa::kAvx2 && g.in_c >= 16 && g.out_c >= 16 && (at_load || per_run) &&
      Qs8WinogradFits(g, filter)) {
    Qs8WinogradPack(at_load ? Qs8WinogradFilter::kAtLoad : Qs8WinogradFilter::kPerRun, g, filter,
                    input_zero_point, bias, multiplier, shift, output_zero_point, act_min,
                    act_max, &winograd_layer_);
    winograd_ = true;
    return;
  }
#endif
  phases_.reset();
  if (packed_ && InitPhases(isa, filter, input_zero_point, bias, multiplier, shift,
                            output_zero_point, act_min, act_max))
    return;
  if (packed_) {
    const Qs8RequantParams p =
        GemmlowpParams(bias, multiplier, shift, output_zero_point, act_min, act_max);
    const Qs8GemmConfig* config = Qs8GemmConfigFor(isa, g.batch * g.out_h * g.out_w);
    // A 1x1 filter that is not pointwise (strided: ResNet's downsampling
    // convs) reads one pixel per GEMM row: PackRows gathers just those, in
    // the GEMM's own parallel units. The indirect and segmented paths' padded
    // copy would hold stride_h * stride_w times as many pixels (ResNet50's
    // six such convs on avx512vnni, Zen 5: 6% faster at 1 thread, 21% at 2).
    const bool one_by_one = g.filter_h == 1 && g.filter_w == 1;
    if (config->igemm_gemmlowp && g.dilation_w == 1 && !one_by_one &&
        g.out_c <= kIndirectMaxOutC) {
      InitIndirect(isa, filter, p);
      return;
    }
    if (!one_by_one && InitSegmented(isa, filter, p)) return;
    gemm_.Init(isa, Qs8Requant::kGemmlowp, g.out_c,
               g.filter_h * g.filter_w * g.in_c, filter, p, g.batch * g.out_h * g.out_w);
    run_block_ = RunBlock();
    return;
  }
  rq_.Set(bias, multiplier, shift, output_zero_point, act_min, act_max);
}

// The segmented path where its GEMM reads the filter rows as runs: whole
// k groups, or short runs padded to one (a 3-channel stem's 9 or 21 bytes,
// whose im2col cost more than its GEMM; not where the table prefers AMX
// over im2col, as for a 7x7 stem). int8 A (AMX) takes stride 1 only:
// its tiles load rows a fixed stride apart, which the padding columns
// between output rows break (there they are computed and dropped).
bool ConvS8Kernel::InitSegmented(Isa isa, const int8_t* filter, const Qs8RequantParams& p) {
  const ConvGeometry& g = g_;
  const int run = g.filter_w * g.in_c;
  const Qs8GemmConfig* config =
      Qs8GemmSegmentedConfigFor(isa, g.batch * g.out_h * g.out_w, g.out_c, run, g.filter_h);
  if (!config || g.dilation_w != 1) return false;
  const int group = PackedQs8Gemm::SegmentGroup(*config);
  if (!group) return false;
  const int segment_kp = (run + group - 1) / group * group;
  const bool short_runs = segment_kp != run;
  if (short_runs && segment_kp > 64) return false;
  const bool strided = g.stride_h != 1 || g.stride_w != 1;
  if (strided && config->input == Qs8GemmInput::kS8) return false;
  segmented_ = true;
  segment_kp_ = segment_kp;
  SetPaddedSize();
  const std::vector<int8_t> runs = short_runs ? FilterRuns(filter) : std::vector<int8_t>();
  gemm_.Init(config, Qs8Requant::kGemmlowp, g.out_c, g.filter_h * segment_kp,
             short_runs ? runs.data() : filter, p);
  return true;
}

// The padded copy's size (indirect and segmented paths): the pixels the
// output's filter windows cover, dilation_w 1.
void ConvS8Kernel::SetPaddedSize() {
  const ConvGeometry& g = g_;
  padded_h_ = (g.out_h - 1) * g.stride_h + (g.filter_h - 1) * g.dilation_h + 1;
  padded_w_ = (g.out_w - 1) * g.stride_w + g.filter_w;
}

// The filter with each filter row's filter_w * in_c weights as a run of
// segment_kp_ (zero weights after), matching the runs the segmented and
// indirect GEMMs read.
std::vector<int8_t> ConvS8Kernel::FilterRuns(const int8_t* filter) const {
  const ConvGeometry& g = g_;
  const int run = g.filter_w * g.in_c;
  const size_t K = static_cast<size_t>(g.filter_h) * segment_kp_;
  std::vector<int8_t> runs(static_cast<size_t>(g.out_c) * K, 0);
  for (int n = 0; n < g.out_c; ++n) {
    for (int fy = 0; fy < g.filter_h; ++fy) {
      std::memcpy(&runs[n * K + fy * segment_kp_],
                  filter + (static_cast<size_t>(n) * g.filter_h + fy) * run, run);
    }
  }
  return runs;
}

// Each filter row's filter_w * in_c weights become a run of segment_kp_
// (rounded up to a k pair, zero weights after), matching the runs of the
// padded input copy the indirect microkernel reads.
void ConvS8Kernel::InitIndirect(Isa isa, const int8_t* filter, const Qs8RequantParams& p) {
  const ConvGeometry& g = g_;
  const int run = g.filter_w * g.in_c;
  segment_kp_ = (run + 1) / 2 * 2;
  SetPaddedSize();
  const int K = g.filter_h * segment_kp_;
  gemm_.Init(isa, Qs8Requant::kGemmlowp, g.out_c, K, FilterRuns(filter).data(), p,
             g.batch * g.out_h * g.out_w);
  indirect_ = gemm_.HasIndirect() && gemm_.kp() == K;
  if (!indirect_) {  // not expected: the table said this path reads A in place
    gemm_.Init(isa, Qs8Requant::kGemmlowp, g.out_c, g.filter_h * run, filter, p,
               g.batch * g.out_h * g.out_w);
  }
}

// The indirect path's copy of every image, as int16 (PadLines), then
// zeros: a filter row run rounded up to a k pair reads one value past the
// last pixel.
void ConvS8Kernel::WidenPadded(const int8_t* input, int16_t* dst, ThreadPool* pool) const {
  const int lines = g_.batch * padded_h_;
  PadLines(input, dst, lines, pool);
  const size_t values = static_cast<size_t>(lines) * padded_w_ * g_.in_c;
  std::fill(dst + values, dst + values + kIndirectSlack, int16_t{0});
}

// `lines` lines of the padded copy (line = image * padded_h_ + py) in the
// GEMM's A format T: input pixel (iy, ix) at (iy + pad_top, ix + pad_left),
// the rest the input zero point (the folded bias cancels it). Large copies
// are split by lines among the workers, about the rows their GEMM units
// read next (a 224x224x3 stem's copy had run on one thread while the other
// waited).
template <typename T>
void ConvS8Kernel::PadLines(const int8_t* input, T* padded, int lines, ThreadPool* pool) const {
  const ConvGeometry& g = g_;
  const int C = g.in_c;
  const size_t padded_row = static_cast<size_t>(padded_w_) * C;
  const T zp = Qs8GemmA<T>::From(static_cast<int8_t>(input_zero_point_));
  // Input columns that land inside the padded row.
  const int ix0 = std::max(0, -g.pad_left), ix1 = std::min(g.in_w, padded_w_ - g.pad_left);
  const auto write = [&](int line0, int line1) {
    T* dst = padded + static_cast<size_t>(line0) * padded_row;
    for (int line = line0; line < line1; ++line, dst += padded_row) {
      const int b = line / padded_h_, iy = line % padded_h_ - g.pad_top;
      if (iy < 0 || iy >= g.in_h || ix1 <= ix0) {
        std::fill(dst, dst + padded_row, zp);
        continue;
      }
      const int8_t* src = input + ((static_cast<size_t>(b) * g.in_h + iy) * g.in_w + ix0) * C;
      const size_t left = static_cast<size_t>(ix0 + g.pad_left) * C;
      const size_t inside = static_cast<size_t>(ix1 - ix0) * C;
      std::fill(dst, dst + left, zp);
      Widen(src, static_cast<int>(inside), dst + left);
      std::fill(dst + left + inside, dst + padded_row, zp);
    }
  };
  const int workers = pool && static_cast<size_t>(lines) * padded_row >= kMinParallelWidenValues
                          ? std::min(pool->num_threads(), lines) : 1;
  if (workers == 1) {
    write(0, lines);
  } else {
    pool->ParallelFor(workers, [&](int w) { write(lines * w / workers, lines * (w + 1) / workers); });
  }
}

size_t ConvS8Kernel::scratch_bytes() const {
  if (phases_) return PhaseBytes() + phases_->scratch_bytes();
  if (winograd_) return Qs8WinogradScratchBytes(winograd_layer_);
  if (indirect_) {
    return (static_cast<size_t>(g_.batch) * padded_h_ * padded_w_ * g_.in_c + kIndirectSlack) *
           sizeof(int16_t);
  }
  if (segmented_) {
    const size_t image = PaddedImageBytes();
    if (SegmentedU8()) return image;
    return gemm_.SegmentedScratchBytes(static_cast<int>(SegmentedRows())) + (image + 63) / 64 * 64;
  }
  return packed_ ? gemm_.ScratchBytes(g_.batch * g_.out_h * g_.out_w) : ConvS8ScratchBytes(g_);
}

// GEMM rows per image on the segmented path: through the last output pixel.
size_t ConvS8Kernel::SegmentedRows() const {
  return static_cast<size_t>(g_.out_h - 1) * padded_w_ + g_.out_w;
}

size_t ConvS8Kernel::PaddedImageBytes() const {
  const size_t run = static_cast<size_t>(g_.filter_w) * g_.in_c;
  return static_cast<size_t>(padded_h_) * padded_w_ * g_.in_c + segment_kp_ - run;
}

// One image into the segmented path's padded copy (PadLines), then zeros
// up to PaddedImageBytes(): the last run's padding reads them.
template <typename T>
void ConvS8Kernel::PadImage(const int8_t* image, T* dst, ThreadPool* pool) const {
  PadLines(image, dst, padded_h_, pool);
  const size_t values = static_cast<size_t>(padded_h_) * padded_w_ * g_.in_c;
  std::memset(dst + values, 0, segment_kp_ - static_cast<size_t>(g_.filter_w) * g_.in_c);
}

void ConvS8Kernel::RunSegmented(const int8_t* input, int8_t* output, uint8_t* scratch,
                                ThreadPool* pool) const {
  const ConvGeometry& g = g_;
  const size_t C = g.in_c, N = g.out_c, pw = padded_w_;
  if (SegmentedU8()) {  // output pixels straight from the copy, one line per output row
    uint8_t* padded = scratch;
    for (int b = 0; b < g.batch; ++b) {
      PadImage(input + static_cast<size_t>(b) * g.in_h * g.in_w * C, padded, pool);
      gemm_.RunSegmentedLines(g.out_h * g.out_w, padded, g.stride_w * C, g.out_w,
                              g.stride_h * pw * C, g.filter_h,
                              static_cast<size_t>(g.dilation_h) * pw * C,
                              output + static_cast<size_t>(b) * g.out_h * g.out_w * N, N, pool);
    }
    return;
  }
  const int rows = static_cast<int>(SegmentedRows());
  int8_t* padded = reinterpret_cast<int8_t*>(scratch + gemm_.SegmentedScratchBytes(rows));
  for (int b = 0; b < g.batch; ++b) {
    PadImage(input + static_cast<size_t>(b) * g.in_h * g.in_w * C, padded, pool);
    int8_t* image_out = output + static_cast<size_t>(b) * g.out_h * g.out_w * N;
    gemm_.RunSegmented(
        rows, padded, C, g.filter_h, static_cast<size_t>(g.dilation_h) * pw * C,
        [&](int m0, int count, int n0, int n1, const int8_t* c, size_t ldc) {
          int oy = m0 / padded_w_, ox = m0 % padded_w_;
          for (int r = 0; r < count; ++r, c += ldc) {
            if (ox < g.out_w) {
              std::memcpy(image_out + (static_cast<size_t>(oy) * g.out_w + ox) * N + n0, c + n0,
                          n1 - n0);
            }
            if (++ox == padded_w_) ox = 0, ++oy;
          }
        },
        scratch, pool);
  }
}

// The copy size of PackRows' short-run packer: the smallest of 16, 32, 64
// bytes holding a filter row, where int8 rows take it (dilation_w 1, filter
// rows of 8 bytes or more, so a copy never reaches past the next filter
// row or the input; k padding under the 64-byte zero store); else 0 (the
// per-tap packer).
int ConvS8Kernel::RunBlock() const {
  const ConvGeometry& g = g_;
  const int run = g.filter_w * g.in_c, K = g.filter_h * run, kp = gemm_.kp();
  if (gemm_.input() != Qs8GemmInput::kS8 || ConvIsPointwise(g) || g.dilation_w != 1 ||
      run < 8 || kp < 64 || kp - K > 64)
    return 0;
  for (int block : {16, 32, 64}) {
    if (run <= block) return block;
  }
  return 0;
}

namespace {

// Im2col row of output pixel (oy, ox) of `image` (filter order fy, fx, c),
// in the GEMM's A format; padding taps hold the input zero point, which the
// folded bias cancels.
template <typename T>
inline void PackRow(const ConvGeometry& g, const int8_t* image, int oy, int ox, int kp,
                    T pad_value, T* row) {
  const int K = g.filter_h * g.filter_w * g.in_c;
  for (int k = K; k < kp; ++k) row[k] = T{0};  // < one k group: no fill call
  const int ix0 = ox * g.stride_w - g.pad_left;
  const bool columns_inside = g.dilation_w == 1 && ix0 >= 0 && ix0 + g.filter_w <= g.in_w;
  for (int fy = 0; fy < g.filter_h; ++fy) {
    const int iy = oy * g.stride_h - g.pad_top + fy * g.dilation_h;
    T* out = row + fy * g.filter_w * g.in_c;
    const bool row_inside = iy >= 0 && iy < g.in_h;
    // A filter row wholly inside the image with dilation 1 is one
    // contiguous run of filter_w * in_c bytes (most taps when in_c is small).
    if (row_inside && columns_inside) {
      Widen(image + (static_cast<size_t>(iy) * g.in_w + ix0) * g.in_c, g.filter_w * g.in_c, out);
      continue;
    }
    for (int fx = 0; fx < g.filter_w; ++fx, out += g.in_c) {
      const int ix = ix0 + fx * g.dilation_w;
      if (!row_inside || ix < 0 || ix >= g.in_w) {
        std::fill(out, out + g.in_c, pad_value);
      } else {
        Widen(image + (static_cast<size_t>(iy) * g.in_w + ix) * g.in_c, g.in_c, out);
      }
    }
  }
}

// Int8 im2col rows whose filter rows are runs of Block / 2 to Block bytes:
// a zero store ending at kp, then each filter row as one constant-size copy
// (vector moves, no per-tap work), in order so each copy's excess is
// overwritten by the next filter row; the last one as two overlapping
// halves ending at k = K. Pixels with padding taps take PackRow.
template <int Block>
void PackRunRows(const ConvGeometry& g, const int8_t* input, int m0, int count, int kp,
                 int8_t pad_value, int8_t* dst) {
  // Locals, not g's fields, in the loop: the int8 stores may alias g.
  const int pixels = g.out_h * g.out_w, run = g.filter_w * g.in_c, fh = g.filter_h;
  const size_t line = static_cast<size_t>(g.in_w) * g.in_c;
  const size_t image_bytes = g.in_h * line, fy_step = g.dilation_h * line;
  const int last_iy = (fh - 1) * g.dilation_h, in_h = g.in_h, in_w = g.in_w, in_c = g.in_c;
  const int fw = g.filter_w, stride_h = g.stride_h, stride_w = g.stride_w;
  const int pad_top = g.pad_top, pad_left = g.pad_left, out_h = g.out_h, out_w = g.out_w;
  constexpr int kHalf = Block / 2;
  int b = m0 / pixels, oy = (m0 % pixels) / out_w, ox = m0 % out_w;
  for (int r = 0; r < count; ++r) {
    int8_t* row = dst + static_cast<size_t>(r) * kp;
    const int iy = oy * stride_h - pad_top, ix = ox * stride_w - pad_left;
    if (iy >= 0 && iy + last_iy < in_h && ix >= 0 && ix + fw <= in_w) {
      std::memset(row + kp - 64, 0, 64);
      const int8_t* src = input + b * image_bytes + iy * line + static_cast<size_t>(ix) * in_c;
      for (int fy = 1; fy < fh; ++fy, src += fy_step, row += run) std::memcpy(row, src, Block);
      std::memcpy(row, src, kHalf);
      std::memcpy(row + run - kHalf, src + run - kHalf, kHalf);
    } else {
      PackRow(g, input + b * image_bytes, oy, ox, kp, pad_value, row);
    }
    if (++ox == out_w) {
      ox = 0;
      if (++oy == out_h) oy = 0, ++b;
    }
  }
}

}  // namespace

// Rows m0.. of the im2col matrix over all images (row = output pixel).
template <typename T>
void ConvS8Kernel::PackRows(const int8_t* input, int m0, int count, T* dst) const {
  // A copy, not a reference: the int8 stores below may alias the kernel's
  // members, which made the compiler reload the geometry after each copy.
  const ConvGeometry g = g_;
  const int pixels = g.out_h * g.out_w, K = g.filter_h * g.filter_w * g.in_c, kp = gemm_.kp();
  if (ConvIsPointwise(g)) {  // rows are consecutive input pixels
    const int8_t* src = input + static_cast<size_t>(m0) * g.in_c;
    if (K == kp) {
      Widen(src, count * K, dst);
      return;
    }
    for (int r = 0; r < count; ++r) {
      T* row = dst + static_cast<size_t>(r) * kp;
      Widen(src + static_cast<size_t>(r) * K, K, row);
      std::fill(row + K, row + kp, T{0});
    }
    return;
  }
  const T pad_value = Qs8GemmA<T>::From(static_cast<int8_t>(input_zero_point_));
  if constexpr (std::is_same_v<T, int8_t>) {
    switch (run_block_) {
      case 16: return PackRunRows<16>(g, input, m0, count, kp, pad_value, dst);
      case 32: return PackRunRows<32>(g, input, m0, count, kp, pad_value, dst);
      case 64: return PackRunRows<64>(g, input, m0, count, kp, pad_value, dst);
      default: break;
    }
  }
  // The output pixel of row m0, then stepped along (no division per row).
  int b = m0 / pixels, oy = (m0 % pixels) / g.out_w, ox = m0 % g.out_w;
  for (int r = 0; r < count; ++r) {
    PackRow(g, input + static_cast<size_t>(b) * g.in_h * g.in_w * g.in_c, oy, ox, kp, pad_value,
            dst + static_cast<size_t>(r) * kp);
    if (++ox == g.out_w) {
      ox = 0;
      if (++oy == g.out_h) oy = 0, ++b;
    }
  }
}

// The GEMM over the widened, padded input (WidenPadded) read in place.
void ConvS8Kernel::RunIndirect(const int8_t* input, int8_t* output, uint8_t* scratch,
                               ThreadPool* pool) const {
  const int M = g_.batch * g_.out_h * g_.out_w;
  int16_t* padded = reinterpret_cast<int16_t*>(scratch);
  WidenPadded(input, padded, pool);
  const ConvGeometry& g = g_;
  const size_t C = g.in_c, row_values = static_cast<size_t>(padded_w_) * C;
  const int pixels = g.out_h * g.out_w;
  gemm_.RunIndirect(
      M,
      [&](int m0, int count, const int16_t** rows) {
        // The output pixel of row m0, then stepped along (no division per row).
        int b = m0 / pixels, oy = (m0 % pixels) / g.out_w, ox = m0 % g.out_w;
        for (int r = 0; r < count; ++r) {
          rows[r] = padded + (static_cast<size_t>(b) * padded_h_ + oy * g.stride_h) * row_values +
                    static_cast<size_t>(ox) * g.stride_w * C;
          if (++ox == g.out_w) {
            ox = 0;
            if (++oy == g.out_h) oy = 0, ++b;
          }
        }
      },
      g.filter_h, static_cast<size_t>(g.dilation_h) * row_values, output,
      static_cast<size_t>(g.out_c), pool);
}

void ConvS8Kernel::Run(const int8_t* input, int8_t* output, uint8_t* scratch,
                       ThreadPool* pool) const {
  if (phases_) return RunPhases(input, output, scratch, pool);
#ifdef PYRT_HAVE_X86_KERNELS
  if (winograd_) {
    Qs8WinogradRun(kQs8WinogradAvx2, winograd_layer_, input, output, scratch, pool);
    return;
  }
#endif
  if (!packed_) {
    ConvS8(g_, input, filter_, input_zero_point_, rq_.get(), output, scratch);
    return;
  }
  const int M = g_.batch * g_.out_h * g_.out_w;
  if (indirect_) {
    RunIndirect(input, output, scratch, pool);
    return;
  }
  if (segmented_) {
    RunSegmented(input, output, scratch, pool);
    return;
  }
  if (ConvIsPointwise(g_) && gemm_.ReadsS8InPlace()) {  // A is the input itself
    gemm_.RunInPlace(M, input, static_cast<size_t>(g_.in_c), output,
                     static_cast<size_t>(g_.out_c), scratch, pool);
    return;
  }
  gemm_.Run(
      M, [&](int m0, int count, auto* dst) { PackRows(input, m0, count, dst); }, output,
      static_cast<size_t>(g_.out_c), scratch, pool);
}

}  // namespace pyrt
