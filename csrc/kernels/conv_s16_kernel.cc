#include "kernels/conv_s16_kernel.h"

#include <algorithm>
#include <cstring>

#include "core/thread_pool.h"
#include "core/unit_ranges.h"
#include "kernels/row_tiles.h"
#include "kernels/x86/conv_s16_tile.h"

#if defined(__x86_64__)
#include "kernels/x86/avx2/conv_s16_avx2.h"
#include "kernels/x86/avx512vnni/conv_s16_avx512vnni.h"
#define PYRT_HAVE_X86_KERNELS 1
#endif

namespace pyrt {
namespace {

// Output channels per block: the int32 and int64 sums of one block live on
// the stack.
constexpr int kChannelBlock = 256;

// Runs rows(row0, row1) over [0, rows) split among the pool's threads.
template <typename Rows>
void SplitRows(int rows, ThreadPool* pool, const Rows& run) {
  const int threads = pool ? pool->num_threads() : 1;
  const int tasks = std::min(rows, threads == 1 ? 1 : 4 * threads);
  if (tasks <= 1) {
    run(0, rows);
    return;
  }
  ParallelUnits(pool, tasks, [&](int t) { run(rows * t / tasks, rows * (t + 1) / tasks); });
}

// Where the filter taps of output pixel (oy, ox) fall inside the image: the
// tap index and the input pixel. Padding taps are left out, as the
// reference omits their terms.
template <typename Tap>
void ForEachInsideTap(const ConvGeometry& g, int oy, int ox, const Tap& tap) {
  const int y0 = oy * g.stride_h - g.pad_top, x0 = ox * g.stride_w - g.pad_left;
  for (int fy = 0; fy < g.filter_h; ++fy) {
    const int y = y0 + fy * g.dilation_h;
    if (y < 0 || y >= g.in_h) continue;
    for (int fx = 0; fx < g.filter_w; ++fx) {
      const int x = x0 + fx * g.dilation_w;
      if (x >= 0 && x < g.in_w) tap(fy * g.filter_w + fx, int64_t{y} * g.in_w + x);
    }
  }
}

// Adds n int32 partial sums into int64 ones and clears them.
inline void Flush(int32_t* partial, int64_t* total, int n) {
  for (int i = 0; i < n; ++i) {
    total[i] += partial[i];
    partial[i] = 0;
  }
}

#ifdef PYRT_HAVE_X86_KERNELS
const ConvS16TileConfig* ConvS16TilesFor(Isa isa) {
  static const ConvS16TileConfig kAvx2{ConvS16TileAvx2, kConvS16Avx2Rows, kConvS16Avx2PanelWidth};
  static const ConvS16TileConfig kAvx512{ConvS16TileAvx512Vnni, kConvS16Avx512Rows,
                                         kConvS16Avx512PanelWidth};
  if (IsaAtLeast(isa, Isa::kAvx512Vnni)) return &kAvx512;
  if (IsaAtLeast(isa, Isa::kAvx2)) return &kAvx2;
  return nullptr;
}
#endif

}  // namespace

void ConvS16Requant::Init(const ConvS16Params& p, size_t padded) {
  bias.assign(padded, 0);
  reduced.assign(padded, 0);
  round.assign(padded, 0);
  total_shift.assign(padded, 1);
  for (int n = 0; n < p.g.out_c; ++n) {
    // MultiplyByQuantizedMultiplier64's constants (quant/fixed_point.h).
    const int32_t m = p.multiplier[n];
    const int shift = 15 - p.shift[n];
    bias[n] = p.bias ? p.bias[n] : 0;
    reduced[n] = m < 0x7FFF0000 ? (m + (1 << 15)) >> 16 : 0x7FFF;
    round[n] = int64_t{1} << (shift - 1);
    total_shift[n] = shift;
  }
  act_min = p.act_min;
  act_max = p.act_max;
}

ConvS16TileRequant ConvS16Requant::From(size_t first) const {
  return ConvS16TileRequant{bias.data() + first, reduced.data() + first, round.data() + first,
                            total_shift.data() + first, act_min, act_max};
}

void ConvS16Kernel::Init(Isa isa, const ConvS16Params& p) {
  p_ = p;
  const ConvGeometry& g = p.g;
  const int taps = g.filter_h * g.filter_w, N = g.out_c;
  packed_.clear();
  panels_.clear();
  tiles_ = nullptr;
#ifdef PYRT_HAVE_X86_KERNELS
  if (taps <= kConvS16MaxSimdTaps && (tiles_ = ConvS16TilesFor(isa))) {
    const int kW = tiles_->panel_width;
    const int panels = (N + kW - 1) / kW, pairs = (g.in_c + 1) / 2, steps = taps * pairs;
    panels_.assign(static_cast<size_t>(panels) * steps * kW, 0);
    for (int n = 0; n < N; ++n)
      for (int t = 0; t < taps; ++t)
        for (int c = 0; c < g.in_c; ++c) {
          const size_t word = (static_cast<size_t>(n / kW) * steps + t * pairs + c / 2) * kW + n % kW;
          // The word's low int16 is the even channel's weight, the high one the odd's.
          const int16_t w = p.filter[(int64_t{n} * taps + t) * g.in_c + c];
          std::memcpy(reinterpret_cast<char*>(&panels_[word]) + (c % 2) * sizeof(int16_t), &w,
                      sizeof(w));
        }
    requant_.Init(p, static_cast<size_t>(panels) * kW);
    zeros_.assign(static_cast<size_t>(g.in_c), 0);
    p_.filter = nullptr;
    return;
  }
#endif
  (void)isa;
  const int64_t depth = int64_t{taps} * g.in_c;
  packed_.resize(static_cast<size_t>(depth * N));
  for (int oc = 0; oc < N; ++oc)
    for (int64_t k = 0; k < depth; ++k) packed_[k * N + oc] = p.filter[oc * depth + k];
  p_.filter = nullptr;  // Run reads the packed copy
}

void ConvS16Kernel::Run(const int16_t* in, int16_t* out, ThreadPool* pool) const {
  SplitRows(p_.g.batch * p_.g.out_h, pool, [&](int row0, int row1) {
    if (simd()) {
      RunSimd(in, out, row0, row1);
    } else {
      RunPortable(in, out, row0, row1);
    }
  });
}

void ConvS16Kernel::RunSimd(const int16_t* in, int16_t* out, int row0, int row1) const {
#ifdef PYRT_HAVE_X86_KERNELS
  const ConvGeometry& g = p_.g;
  const int N = g.out_c, taps = g.filter_h * g.filter_w;
  const int kW = tiles_->panel_width;
  const int panels = (N + kW - 1) / kW;
  const size_t panel_words = static_cast<size_t>(taps) * ((g.in_c + 1) / 2) * kW;
  // Output pixels of a row in chunks: their taps' input pointers on the stack.
  constexpr int kChunk = 24;
  const int16_t* x[kChunk * kConvS16MaxSimdTaps];
  for (int row = row0; row < row1; ++row) {
    const int b = row / g.out_h, oy = row % g.out_h;
    const int16_t* image = in + int64_t{b} * g.in_h * g.in_w * g.in_c;
    for (int ox0 = 0; ox0 < g.out_w; ox0 += kChunk) {
      const int count = std::min(kChunk, g.out_w - ox0);
      for (int i = 0; i < count; ++i) {
        const int16_t** px = x + i * taps;
        for (int t = 0; t < taps; ++t) px[t] = zeros_.data();  // padding
        ForEachInsideTap(g, oy, ox0 + i, [&](int t, int64_t pixel) { px[t] = image + pixel * g.in_c; });
      }
      int16_t* o = out + (int64_t{row} * g.out_w + ox0) * N;
      for (int p = 0; p < panels; ++p) {
        const ConvS16TileRequant rq = requant_.From(static_cast<size_t>(p) * kW);
        const int cols = std::min(kW, N - p * kW);
        ForEachRowTile(count, tiles_->rows, /*even=*/true, [&](int i, int rows) {
          tiles_->tile(rows, x + i * taps, taps, g.in_c, panels_.data() + p * panel_words, rq,
                       o + static_cast<size_t>(i) * N + p * kW, N, cols);
        });
      }
    }
  }
#else
  (void)in, (void)out, (void)row0, (void)row1;
#endif
}

void ConvS16Kernel::RunPortable(const int16_t* in, int16_t* out, int row0, int row1) const {
  const ConvGeometry& g = p_.g;
  const int N = g.out_c;
  int32_t partial[kChannelBlock];
  int64_t total[kChannelBlock];
  for (int row = row0; row < row1; ++row) {
    const int b = row / g.out_h, oy = row % g.out_h;
    const int16_t* image = in + int64_t{b} * g.in_h * g.in_w * g.in_c;
    for (int ox = 0; ox < g.out_w; ++ox) {
      int16_t* o = out + (int64_t{row} * g.out_w + ox) * N;
      for (int n0 = 0; n0 < N; n0 += kChannelBlock) {
        const int nb = std::min(kChannelBlock, N - n0);
        std::fill(partial, partial + nb, 0);
        std::fill(total, total + nb, int64_t{0});
        int terms = 0;
        ForEachInsideTap(g, oy, ox, [&](int tap, int64_t pixel) {
          const int16_t* x = image + pixel * g.in_c;
          const int8_t* w = packed_.data() + (int64_t{tap} * g.in_c) * N + n0;
          for (int ic = 0; ic < g.in_c; ++ic, w += N) {
            // int16 x int16 -> int32: a widening multiply the vectorizer knows.
            const int16_t v = x[ic];
            for (int n = 0; n < nb; ++n) partial[n] += v * int16_t{w[n]};
            if (++terms == kS16BlockTerms) {
              Flush(partial, total, nb);
              terms = 0;
            }
          }
        });
        Flush(partial, total, nb);
        for (int n = 0; n < nb; ++n) o[n0 + n] = RequantizeS16(p_, n0 + n, total[n]);
      }
    }
  }
}

void FullyConnectedS16Kernel::Run(int batches, const int16_t* in, int16_t* out,
                                  ThreadPool* pool) const {
  const FullyConnectedS16Params& p = p_;
  // Units in tasks of 32, or one task when the whole product is small.
  const int per_task = int64_t{batches} * p.depth >= 4096 ? 32 : p.units;
  const int tasks = (p.units + per_task - 1) / per_task;
  ParallelUnits(pool, tasks, [&](int t) {
    const int u0 = t * per_task, u1 = std::min(p.units, u0 + per_task);
    for (int b = 0; b < batches; ++b) {
      const int16_t* row = in + int64_t{b} * p.depth;
      for (int u = u0; u < u1; ++u) {
        const int8_t* w = p.filter + int64_t{u} * p.depth;
        int64_t acc = 0;
        for (int d0 = 0; d0 < p.depth; d0 += kS16BlockTerms) {
          const int d1 = std::min(p.depth, d0 + kS16BlockTerms);
          int32_t part = 0;  // at most kS16BlockTerms products of |.| <= 2^22: exact
          for (int d = d0; d < d1; ++d) part += int16_t{w[d]} * row[d];
          acc += part;
        }
        out[int64_t{b} * p.units + u] = RequantizeFullyConnectedS16(p, u, acc);
      }
    }
  });
}

bool DepthwiseS16Supported(const ConvGeometry& g, int depth_multiplier) {
  return depth_multiplier == 1 && g.filter_h * g.filter_w <= kS16BlockTerms;
}

void DepthwiseS16Kernel::Init(Isa isa, const ConvS16Params& p) {
  p_ = p;
  packed16_.clear();
  zeros_.clear();
  pixel_ = nullptr;
#ifdef PYRT_HAVE_X86_KERNELS
  if (IsaAtLeast(isa, Isa::kAvx512Vnni)) {
    pixel_ = DwConvS16PixelAvx512Vnni, group_ = 32;
  } else if (IsaAtLeast(isa, Isa::kAvx2)) {
    pixel_ = DwConvS16PixelAvx2, group_ = 16;
  }
  if (pixel_) {
    const ConvGeometry& g = p.g;
    const int taps = g.filter_h * g.filter_w, pairs = (taps + 1) / 2, C = g.in_c, G = group_;
    const int groups = (C + G - 1) / G;
    packed16_.assign(static_cast<size_t>(groups) * pairs * 2 * G, 0);
    // Per group and tap pair: the channels vpunpcklwd puts in its int32
    // lanes j (channel 8 * (j / 4) + j % 4: 0-3, 8-11, ...), then those of
    // vpunpckhwd (4 more), each lane a (tap t, tap t + 1) weight pair.
    for (int grp = 0; grp < groups; ++grp)
      for (int t = 0; t < taps; ++t)
        for (int lane = 0; lane < G; ++lane) {
          const int j = lane % (G / 2), high = lane / (G / 2);
          const int c = grp * G + 8 * (j / 4) + 4 * high + j % 4;
          if (c >= C) continue;
          packed16_[(static_cast<size_t>(grp) * pairs + t / 2) * 2 * G + lane * 2 + t % 2] =
              p.filter[int64_t{t} * C + c];
        }
    zeros_.assign(static_cast<size_t>(groups) * G, 0);
    requant_.Init(p, static_cast<size_t>(groups) * G);
  }
#endif
  (void)isa;
}

void DepthwiseS16Kernel::Run(const int16_t* in, int16_t* out, ThreadPool* pool) const {
  SplitRows(p_.g.batch * p_.g.out_h, pool, [&](int row0, int row1) {
    if (!packed16_.empty()) {
      RunSimd(in, out, row0, row1);
    } else {
      RunPortable(in, out, row0, row1);
    }
  });
}

void DepthwiseS16Kernel::RunSimd(const int16_t* in, int16_t* out, int row0, int row1) const {
#ifdef PYRT_HAVE_X86_KERNELS
  const ConvGeometry& g = p_.g;
  const int C = g.in_c, taps = g.filter_h * g.filter_w, pairs = (taps + 1) / 2;
  const int16_t* x[kS16BlockTerms];
  const int16_t* block_x[kS16BlockTerms];
  for (int row = row0; row < row1; ++row) {
    const int b = row / g.out_h, oy = row % g.out_h;
    const int16_t* image = in + int64_t{b} * g.in_h * g.in_w * C;
    for (int ox = 0; ox < g.out_w; ++ox) {
      for (int t = 0; t < taps; ++t) x[t] = nullptr;  // padding
      ForEachInsideTap(g, oy, ox, [&](int t, int64_t pixel) { x[t] = image + pixel * C; });
      int16_t* o = out + (int64_t{row} * g.out_w + ox) * C;
      for (int c0 = 0; c0 < C; c0 += kChannelBlock) {
        const int nb = std::min(kChannelBlock, C - c0);
        // Padding taps read zeros_ (at least nb values, rounded up to 16).
        for (int t = 0; t < taps; ++t) block_x[t] = x[t] ? x[t] + c0 : zeros_.data();
        pixel_(block_x, taps, nb, packed16_.data() + static_cast<size_t>(c0 / group_) * pairs * 2 * group_,
               requant_.From(c0), o + c0);
      }
    }
  }
#else
  (void)in, (void)out, (void)row0, (void)row1;
#endif
}

void DepthwiseS16Kernel::RunPortable(const int16_t* in, int16_t* out, int row0, int row1) const {
  const ConvGeometry& g = p_.g;
  const int C = g.in_c;
  int32_t sum[kChannelBlock];
  for (int row = row0; row < row1; ++row) {
    const int b = row / g.out_h, oy = row % g.out_h;
    const int16_t* image = in + int64_t{b} * g.in_h * g.in_w * C;
    for (int ox = 0; ox < g.out_w; ++ox) {
      int16_t* o = out + (int64_t{row} * g.out_w + ox) * C;
      for (int c0 = 0; c0 < C; c0 += kChannelBlock) {
        const int nb = std::min(kChannelBlock, C - c0);
        std::fill(sum, sum + nb, 0);
        // At most kS16BlockTerms taps: the int32 sums are exact.
        ForEachInsideTap(g, oy, ox, [&](int tap, int64_t pixel) {
          const int16_t* x = image + pixel * C + c0;
          const int8_t* w = p_.filter + int64_t{tap} * C + c0;
          for (int c = 0; c < nb; ++c) sum[c] += x[c] * int16_t{w[c]};
        });
        for (int c = 0; c < nb; ++c) o[c0 + c] = RequantizeS16(p_, c0 + c, sum[c]);
      }
    }
  }
}

}  // namespace pyrt
