#include "kernels/reference/conv_f32.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

#include "core/unit_ranges.h"
#include "kernels/f32_gemm/depthwise_taps.h"
#include "kernels/f32_gemm/f32_gemm.h"
#include "kernels/f32_vmath/f32_vmath.h"
#include "kernels/f32_vops/f32_vops.h"
#include "kernels/repeat_channels.h"

namespace pyrt {
namespace {

constexpr int kBlockRows = 48;  // im2col rows per task (a multiple of the 6-row micro-kernel)
static_assert(kBlockRows % kIgemmF32GroupRows == 0, "tasks start indirection tables on a group");
constexpr int kMaxSlots = 8;    // scratch blocks: at most this many workers
constexpr int kDepthwiseBlockPixels = 32;  // output pixels per depthwise task, at least
// Depthwise pixel groups (DepthwiseF32Args::tap_offsets) on maps this
// narrow (a keyword spotter's 5 columns: 1.85 -> 1.1 us per layer; 7 and
// 14 columns of MobileNetV2's 960 and 576 channels: no change either way),
// their table at most this many offsets.
constexpr int kDepthwiseGroupMaxWidth = 8;
constexpr int64_t kMaxTapOffsets = 1 << 16;
// Indirection tables up to this size are kept whole (XNNPACK keeps them all);
// larger convolutions build theirs per block in scratch.
constexpr size_t kMaxTableBytes = size_t{8} << 20;

// Runs task(worker, first, count) over [0, total) in blocks of `block`, on
// up to kMaxSlots workers (worker: the index of its scratch), each starting
// on its own contiguous range of blocks: consecutive ops then find the rows
// the previous one wrote in their own core's cache (MobileNetV2 float at 2
// threads on Zen 5: 28x28 depthwise layers 18 -> 13 us, whole model 2%
// faster than with blocks dealt round-robin).
template <typename Task>
void ForBlocks(ThreadPool* pool, int total, int block, Task&& task) {
  const int blocks = (total + block - 1) / block;
  ParallelUnitsOnWorkers(pool, blocks, kMaxSlots, [&](int w, int b) {
    task(w, b * block, std::min(block, total - b * block));
  });
}

// Few rows against weights that do not fit L2 (7x7 layers, FC at batch 1):
// row blocks would each stream all the weights from memory again. Then each
// task takes every row and a range of 16-column panels, so the weights are
// read once and A (at most kFewRowsBytes) stays in L2.
constexpr size_t kFewRowsBytes = 256 * 1024;

bool SplitByPanels(const GemmF32Args& g, int rows) {
  const size_t weights = size_t{sizeof(float)} * g.k * g.n;
  return weights > kFewRowsBytes && size_t{sizeof(float)} * g.k * rows <= kFewRowsBytes;
}

void GemmByPanels(GemmF32RowsFn gemm, const GemmF32Args& g, const float* a, size_t lda, int rows,
                  float* c, size_t ldc, ThreadPool* pool) {
  constexpr int kW = kGemmF32PanelWidth;
  const int panels = (g.n + kW - 1) / kW;
  const int threads = std::min(pool ? pool->num_threads() : 1, kMaxSlots);
  ForBlocks(pool, panels, (panels + threads - 1) / threads, [&](int, int p0, int count) {
    GemmF32Args part = g;
    part.weights_stream = true;
    part.n = std::min(g.n - p0 * kW, count * kW);
    part.packed += static_cast<size_t>(p0) * kW * g.k;
    part.bias += p0 * kW;
    // b_rows is set only for n <= kGemmF32DotMaxN: one panel, p0 == 0.
    gemm(part, a, lda, rows, c + p0 * kW, ldc);
  });
}

// B's rows [n][k] for GemmF32Args::b_rows when n is narrow enough, else empty.
std::vector<float> NarrowRows(const float* w, int n, int k) {
  if (n > kGemmF32DotMaxN) return {};
  return std::vector<float>(w, w + static_cast<size_t>(n) * k);
}

const F32GemmConfig& Config(Isa isa, bool builtin_rounding) {
  return builtin_rounding ? F32GemmBuiltinRoundingConfigFor(isa) : F32GemmConfigFor(isa);
}

}  // namespace

void ConvF32Kernel::Init(Isa isa, const ConvGeometry& g, const float* filter, const float* bias,
                         float act_min, float act_max, bool builtin_rounding) {
  g_ = g;
  pointwise_ = g.filter_h == 1 && g.filter_w == 1 && g.stride_h == 1 && g.stride_w == 1 &&
               g.pad_top == 0 && g.pad_left == 0;
  const int K = g.filter_h * g.filter_w * g.in_c;
  b_rows_ = NarrowRows(filter, g.out_c, K);
  args_.n = g.out_c;
  args_.k = K;
  packed_ = PackGemmF32B(filter, g.out_c, K);
  bias_ = PadGemmF32Bias(bias, g.out_c);
  args_.packed = packed_.data();
  args_.bias = bias_.data();
  args_.b_rows = b_rows_.empty() ? nullptr : b_rows_.data();
  args_.act_min = act_min;
  args_.act_max = act_max;
  gemm_ = Config(isa, builtin_rounding).gemm;
  igemm_ = pointwise_ ? nullptr : Config(isa, builtin_rounding).igemm;
  path_fuses_tail_ = Config(isa, builtin_rounding).fused_tail;
  if (igemm_) {
    zeros_.assign(g.in_c, 0.f);
    // The whole table when it is small enough: built once per input address.
    const size_t groups = (static_cast<size_t>(g.batch) * g.out_h * g.out_w + 5) / 6;
    const size_t entries = groups * kIgemmF32GroupRows * g.filter_h * g.filter_w;
    table_.assign(entries * sizeof(float*) <= kMaxTableBytes ? entries : 0, nullptr);
    table_input_ = nullptr;
    tap_offsets_.clear();
    for (int fy = 0; fy < g.filter_h; ++fy)
      for (int fx = 0; fx < g.filter_w; ++fx)
        tap_offsets_.push_back((static_cast<size_t>(fy) * g.dilation_h * g.in_w + fx * g.dilation_w) *
                               g.in_c);
  }
}

size_t ConvF32Kernel::rows_scratch_bytes() const {
  if (pointwise_) return 0;
  const size_t row = igemm_ ? size_t{sizeof(float*)} * g_.filter_h * g_.filter_w
                            : sizeof(float) * args_.k;
  return size_t{kBlockRows} * row;  // kBlockRows: whole groups of 6 rows
}

size_t ConvF32Kernel::scratch_bytes() const {
  if (igemm_ && !table_.empty()) return 0;
  return size_t{kMaxSlots} * rows_scratch_bytes();
}

// Rows m0.. of the indirection table (IgemmF32RowsFn's grouped layout):
// per output pixel, a pointer per tap (fy, fx order) to the input pixel's
// in_c channels, or to zeros_ for padding taps.
void ConvF32Kernel::IndirectionRows(const float* input, int m0, int count,
                                    const float** table) const {
  const ConvGeometry& g = g_;
  constexpr int kG = kIgemmF32GroupRows;
  const int taps = g.filter_h * g.filter_w;
  const int pixels = g.out_h * g.out_w;
  int b = m0 / pixels, oy = m0 % pixels / g.out_w, ox = m0 % g.out_w;
  for (int r = 0; r < count; ++r, ++ox) {
    const float** dst = table + (r / kG) * kG * taps + r % kG;  // tap t at dst[t * kG]
    if (ox == g.out_w) {
      ox = 0;
      if (++oy == g.out_h) oy = 0, ++b;
    }
    const float* image = input + static_cast<size_t>(b) * g.in_h * g.in_w * g.in_c;
    const int iy0 = oy * g.stride_h - g.pad_top, ix0 = ox * g.stride_w - g.pad_left;
    if (iy0 >= 0 && iy0 + (g.filter_h - 1) * g.dilation_h < g.in_h && ix0 >= 0 &&
        ix0 + (g.filter_w - 1) * g.dilation_w < g.in_w) {  // all taps inside: fixed offsets
      const float* first = image + (static_cast<size_t>(iy0) * g.in_w + ix0) * g.in_c;
      for (size_t off : tap_offsets_) *dst = first + off, dst += kG;
      continue;
    }
    for (int fy = 0; fy < g.filter_h; ++fy) {
      const int iy = iy0 + fy * g.dilation_h;
      for (int fx = 0; fx < g.filter_w; ++fx) {
        const int ix = ix0 + fx * g.dilation_w;
        const bool inside = iy >= 0 && iy < g.in_h && ix >= 0 && ix < g.in_w;
        *dst = inside ? image + (static_cast<size_t>(iy) * g.in_w + ix) * g.in_c : zeros_.data();
        dst += kG;
      }
    }
  }
}

// Rows m0.. of the im2col matrix (row = output pixel, taps in fy, fx, c
// order); padding taps are zero. Plain loops, kept from becoming memcpy
// calls: a 3-channel stem copies 12 bytes per tap, where a call costs more
// than the copy.
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("no-tree-loop-distribute-patterns")))
#endif
void ConvF32Kernel::Im2colRows(const float* input, int m0, int count, float* dst) const {
  const ConvGeometry& g = g_;
  const int pixels = g.out_h * g.out_w;
  // (b, oy, ox) of row m0, then stepped: divisions per row cost more than
  // copying a narrow row (3-8 channel inputs).
  int b = m0 / pixels, oy = m0 % pixels / g.out_w, ox = m0 % g.out_w;
  for (int r = 0; r < count; ++r, ++ox) {
    if (ox == g.out_w) {
      ox = 0;
      if (++oy == g.out_h) oy = 0, ++b;
    }
    const float* image = input + static_cast<size_t>(b) * g.in_h * g.in_w * g.in_c;
    float* row = dst + static_cast<size_t>(r) * args_.k;
    const int ix0 = ox * g.stride_w - g.pad_left;
    // Undilated filter rows wholly inside the image are one contiguous run.
    const bool row_inside = g.dilation_w == 1 && ix0 >= 0 && ix0 + g.filter_w <= g.in_w;
    const int run = g.filter_w * g.in_c;
    for (int fy = 0; fy < g.filter_h; ++fy) {
      const int iy = oy * g.stride_h - g.pad_top + fy * g.dilation_h;
      if (row_inside && iy >= 0 && iy < g.in_h) {
        float* out = row + fy * run;
        const float* src = image + (static_cast<size_t>(iy) * g.in_w + ix0) * g.in_c;
        for (int i = 0; i < run; ++i) out[i] = src[i];
        continue;
      }
      for (int fx = 0; fx < g.filter_w; ++fx) {
        const int ix = ox * g.stride_w - g.pad_left + fx * g.dilation_w;
        float* out = row + (fy * g.filter_w + fx) * g.in_c;
        if (iy < 0 || iy >= g.in_h || ix < 0 || ix >= g.in_w) {
          for (int c = 0; c < g.in_c; ++c) out[c] = 0.f;
        } else {
          const float* src = image + (static_cast<size_t>(iy) * g.in_w + ix) * g.in_c;
          for (int c = 0; c < g.in_c; ++c) out[c] = src[c];
        }
      }
    }
  }
}

void RunConvF32Epilogue(const ConvF32Epilogue& e, Isa isa, float* out, const float* residual,
                        int64_t rows, int out_c) {
  const F32VopsConfig& vops = F32VopsConfigFor(isa);
  const int64_t n = rows * out_c;
  if (e.add) vops.add(out, residual, out, n, e.add_lo, e.add_hi);  // x + y == y + x in IEEE
  if (e.clamp) vops.clamp(out, out, n, e.clamp_lo, e.clamp_hi);
  if (!e.alpha.empty()) vops.prelu(out, e.alpha.data(), out, rows, out_c);
  if (e.hard_swish) F32VmathConfigFor(isa).hard_swish(n, out, out);
  if (e.swish) F32VmathConfigFor(isa).swish(n, out, out);  // x * logistic(x) == logistic(x) * x
}

void ConvF32Kernel::SetEpilogue(Isa isa, ConvF32Epilogue epilogue) {
  epilogue_ = std::move(epilogue);
  isa_ = isa;
  // Narrow outputs take the dot-product rows, which leave the tail to
  // Finish, as do the swishes (not among the GEMM's in-register steps).
  tail_in_kernel_ = !epilogue_.empty() && path_fuses_tail_ && !args_.b_rows && !epilogue_.swish &&
                    !epilogue_.hard_swish;
  if (!tail_in_kernel_) return;
  constexpr int kW = kGemmF32PanelWidth;
  alpha_.assign(static_cast<size_t>(g_.out_c + kW - 1) / kW * kW, 1.f);
  std::copy(epilogue_.alpha.begin(), epilogue_.alpha.end(), alpha_.begin());
  args_.alpha = alpha_.data();
  args_.add_lo = epilogue_.add_lo;
  args_.add_hi = epilogue_.add_hi;
  args_.clamp = epilogue_.clamp;
  args_.clamp_lo = epilogue_.clamp_lo;
  args_.clamp_hi = epilogue_.clamp_hi;
}

void ConvF32Kernel::Finish(float* out, const float* residual, int rows) const {
  if (!epilogue_.empty()) RunConvF32Epilogue(epilogue_, isa_, out, residual, rows, g_.out_c);
}

void ConvF32Kernel::Run(const float* input, float* output, uint8_t* scratch, ThreadPool* pool,
                        const float* residual) const {
  const int M = g_.batch * g_.out_h * g_.out_w;
  const size_t ldc = static_cast<size_t>(g_.out_c);
  if (pointwise_ && SplitByPanels(args_, M)) {  // panel ranges: the tail after, by Finish
    GemmF32Args plain = args_;
    plain.alpha = nullptr;
    GemmByPanels(gemm_, plain, input, g_.in_c, M, output, ldc, pool);
    return Finish(output, residual, M);
  }
  const bool whole_table = igemm_ && !table_.empty();
  IndexInput(input, pool);
  const size_t slot = whole_table ? 0 : rows_scratch_bytes();  // no scratch then
  ForBlocks(pool, M, kBlockRows, [&](int w, int m0, int count) {
    RunBlock(input, m0, count, output + m0 * ldc, residual ? residual + m0 * ldc : nullptr,
             slot ? scratch + w * slot : nullptr, whole_table);
  });
}

void ConvF32Kernel::RunBlock(const float* input, int m0, int count, float* out,
                             const float* residual, uint8_t* scratch, bool whole_table) const {
  const size_t ldc = static_cast<size_t>(g_.out_c);
  const int taps = g_.filter_h * g_.filter_w;
  GemmF32Args args = args_;
  if (tail_in_kernel_ && residual) args.residual = residual;
  if (pointwise_) {
    gemm_(args, input + static_cast<size_t>(m0) * g_.in_c, g_.in_c, count, out, ldc);
  } else if (whole_table) {
    igemm_(args, table_.data() + static_cast<size_t>(m0) * taps, taps, count, out, ldc);
  } else if (igemm_) {
    const float** ind = reinterpret_cast<const float**>(scratch);
    IndirectionRows(input, m0, count, ind);
    igemm_(args, ind, taps, count, out, ldc);
  } else {
    float* a = reinterpret_cast<float*>(scratch);
    Im2colRows(input, m0, count, a);
    gemm_(args, a, args.k, count, out, ldc);
  }
  if (!tail_in_kernel_) Finish(out, residual, count);
}

void ConvF32Kernel::IndexInput(const float* input, ThreadPool* pool) const {
  if (!igemm_ || table_.empty() || table_input_ == input) return;
  // The arena moved (or first run): rebuild.
  const int taps = g_.filter_h * g_.filter_w;
  ForBlocks(pool, g_.batch * g_.out_h * g_.out_w, kBlockRows, [&](int, int m0, int count) {
    IndirectionRows(input, m0, count, table_.data() + static_cast<size_t>(m0) * taps);
  });
  table_input_ = input;
}

void ConvF32Kernel::RunRows(const float* input, int m0, int count, float* out,
                            const float* residual, uint8_t* scratch) const {
  // A pointwise conv reads its input rows in place: one call. With the
  // whole indirection table, rows up to a group start get theirs built in
  // the scratch, the rest read the table; otherwise blocks of im2col or
  // indirection rows are built in the scratch.
  constexpr int kG = kIgemmF32GroupRows;
  const bool table = igemm_ && !table_.empty() && table_input_ == input;
  for (int i = 0; i < count;) {
    const int m = m0 + i;
    int n = std::min(kBlockRows, count - i);
    if (pointwise_ || (table && m % kG == 0)) n = count - i;
    else if (table) n = std::min(n, kG - m % kG);
    const size_t offset = static_cast<size_t>(i) * g_.out_c;
    RunBlock(input, m, n, out + offset, residual ? residual + offset : nullptr, scratch,
             table && m % kG == 0);
    i += n;
  }
}

void DepthwiseF32Kernel::Init(Isa isa, const ConvGeometry& g, const float* filter,
                              const float* bias, float act_min, float act_max,
                              bool builtin_rounding) {
  bias_.assign(g.out_c, 0.f);
  if (bias) std::copy(bias, bias + g.out_c, bias_.begin());
  // Copied to a cache-line boundary: in the model's bytes the filter is
  // 4-byte aligned, and nearly every vector load of it would straddle two
  // lines.
  filter_.assign(filter, filter + static_cast<size_t>(g.filter_h) * g.filter_w * g.out_c);
  args_.g = g;
  // Output channel o reads input channel o / M either way.
  expand_from_ = g.out_c != g.in_c ? g.in_c : 0;
  if (expand_from_) args_.g.in_c = g.out_c;
  args_.filter = filter_.data();
  args_.bias = bias_.data();
  args_.act_min = act_min;
  args_.act_max = act_max;
  // The groups are the non-builtin SIMD kernels' (the others ignore them).
  const int64_t table = int64_t{g.out_h} * g.out_w * g.filter_h * g.filter_w;
  const bool groups = !builtin_rounding && g.out_w <= kDepthwiseGroupMaxWidth &&
                      table <= kMaxTapOffsets &&
                      std::all_of(filter_.begin(), filter_.end(),
                                  [](float w) { return std::isfinite(w); });
  if (groups) tap_offsets_ = DepthwiseTapOffsets(args_.g);
  zeros_.assign(tap_offsets_.empty() ? 0 : g.out_c, 0.f);
  args_.tap_offsets = tap_offsets_.empty() ? nullptr : tap_offsets_.data();
  args_.zeros = zeros_.data();
  rows_ = Config(isa, builtin_rounding).depthwise;
}

void DepthwiseF32Kernel::SetEpilogue(Isa isa, ConvF32Epilogue epilogue) {
  epilogue_ = std::move(epilogue);
  isa_ = isa;
}

size_t DepthwiseF32Kernel::scratch_bytes() const {
  const ConvGeometry& g = args_.g;
  return expand_from_ ? sizeof(float) * g.batch * g.in_h * g.in_w * g.in_c : 0;
}

void DepthwiseF32Kernel::Run(const float* input, float* output, uint8_t* scratch,
                             ThreadPool* pool, const float* residual) const {
  const ConvGeometry& g = args_.g;
  if (expand_from_) {  // each input channel M times, rows of pixels in blocks
    float* expanded = reinterpret_cast<float*>(scratch);
    const int M = g.in_c / expand_from_;
    ForBlocks(pool, g.batch * g.in_h, 1, [&](int, int r0, int count) {
      RepeatChannels(input, expand_from_, M, static_cast<size_t>(r0) * g.in_w,
                     static_cast<size_t>(r0 + count) * g.in_w, expanded);
    });
    input = expanded;
  }
  const size_t row = static_cast<size_t>(g.out_w) * g.out_c;  // floats per output row
  // Rows one at a time, unless so narrow that a call would cover only a few
  // pixels (the kernels' per-call work and their pixel groups' padding).
  const int block = std::max(1, kDepthwiseBlockPixels / std::max(g.out_w, 1));
  ForBlocks(pool, g.batch * g.out_h, block, [&](int, int r0, int count) {
    rows_(args_, input, r0, count, output);
    Finish(output + r0 * row, residual ? residual + r0 * row : nullptr, count);
  });
}

void DepthwiseF32Kernel::RunImageRows(const float* rows, int lo, int hi, int oy0, int count,
                                      float* out, const float* residual) const {
  // The band as a one-image conv of `count` output rows over hi - lo input
  // rows, the padding shifted to match (negative when the band starts
  // below the top): taps outside those rows are padding the kernels skip,
  // and none of the outputs' taps inside the image falls outside them.
  DepthwiseF32Args args = args_;
  args.g.batch = 1;
  args.g.in_h = hi - lo;
  args.g.out_h = count;
  args.g.pad_top += lo - oy0 * args.g.stride_h;
  rows_(args, rows, 0, count, out);
  Finish(out, residual, count);
}

void DepthwiseF32Kernel::Finish(float* out, const float* residual, int rows) const {
  if (!epilogue_.empty())
    RunConvF32Epilogue(epilogue_, isa_, out, residual, int64_t{rows} * args_.g.out_w,
                       args_.g.out_c);
}

void FullyConnectedF32Kernel::Init(Isa isa, int units, int depth, const float* weights,
                                   const float* bias, float act_min, float act_max,
                                   bool builtin_rounding) {
  b_rows_ = NarrowRows(weights, units, depth);
  args_.n = units;
  args_.k = depth;
  packed_ = PackGemmF32B(weights, units, depth);
  bias_ = PadGemmF32Bias(bias, units);
  args_.packed = packed_.data();
  args_.bias = bias_.data();
  args_.b_rows = b_rows_.empty() ? nullptr : b_rows_.data();
  args_.act_min = act_min;
  args_.act_max = act_max;
  gemm_ = Config(isa, builtin_rounding).gemm;
}

void FullyConnectedF32Kernel::Run(int batches, const float* input, float* output,
                                  ThreadPool* pool) const {
  const size_t ldc = static_cast<size_t>(args_.n), lda = static_cast<size_t>(args_.k);
  if (SplitByPanels(args_, batches))
    return GemmByPanels(gemm_, args_, input, lda, batches, output, ldc, pool);
  ForBlocks(pool, batches, kBlockRows, [&](int, int m0, int count) {
    gemm_(args_, input + m0 * lda, lda, count, output + m0 * ldc, ldc);
  });
}

}  // namespace pyrt
