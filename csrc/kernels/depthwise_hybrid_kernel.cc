#include "kernels/depthwise_hybrid_kernel.h"

#include <algorithm>
#include <cstring>

#include "core/thread_pool.h"
#include "core/unit_ranges.h"
#include "kernels/repeat_channels.h"
#if defined(__x86_64__)
#include "kernels/x86/avx512vnni/depthwise_hybrid_c32_avx512vnni.h"
#include "kernels/x86/avx512vnni/qs8_dwconv_c32_avx512vnni.h"
#include "kernels/x86/avx2/depthwise_hybrid_c16_avx2.h"
#include "kernels/x86/avx2/qs8_dwconv_c16_avx2.h"
#endif

namespace pyrt {
namespace dwh_portable {
#include "kernels/depthwise_hybrid_body.h"
}  // namespace dwh_portable

void DepthwiseHybridKernel::Init(Isa isa, const ConvGeometry& g, int depth_multiplier,
                                 const int8_t* filter, const float* scales, const float* bias,
                                 float act_min, float act_max) {
  const size_t taps = static_cast<size_t>(g.filter_h) * g.filter_w;
  filter_.assign(filter, filter + taps * g.out_c);
  scales_.assign(scales, scales + g.out_c);
  bias_.assign(g.out_c, 0.f);
  if (bias) std::copy(bias, bias + g.out_c, bias_.begin());
  args_.g = g;
  // A multiplier M > 1 reads input channel c / M for output channel c: the
  // kernels read an input with each channel repeated M times instead (a
  // division per value was 1 G MAC/s).
  expand_from_ = depth_multiplier > 1 ? g.in_c : 0;
  if (expand_from_) args_.g.in_c = g.out_c;
  args_.filter = filter_.data();
  args_.scales = scales_.data();
  args_.bias = bias_.data();
  args_.act_min = act_min;
  args_.act_max = act_max;
  args_.vector_channels = g.out_c / 4 * 4;
  rows_ = dwh_portable::DepthwiseHybridRows;
#if defined(__x86_64__)
  const int taps_n = static_cast<int>(taps);
  if (IsaAtLeast(isa, Isa::kAvx512Vnni) && taps_n <= kDepthwiseHybridAvx512MaxTaps) {
    PackTapPairs(filter, 32, kDwC32LaneChannel);
    rows_ = DepthwiseHybridC32Avx512Vnni;
  } else if (IsaAtLeast(isa, Isa::kAvx2) && taps_n <= kDepthwiseHybridAvx2MaxTaps) {
    PackTapPairs(filter, 16, kDwC16LaneChannel);
    rows_ = DepthwiseHybridC16Avx2;
  } else if (IsaAtLeast(isa, Isa::kAvx2)) {
    rows_ = dwh_avx2::DepthwiseHybridRows;
  }
#endif
}

void DepthwiseHybridKernel::PackTapPairs(const int8_t* filter, int group,
                                         const int* lane_channel) {
  // Per `group`-channel group, per tap pair: group lane slots x (w[t], w[t + 1]).
  const ConvGeometry& g = args_.g;
  const int C = g.out_c, taps = g.filter_h * g.filter_w;
  const int groups = (C + group - 1) / group, pairs = (taps + 1) / 2;
  packed_.assign(static_cast<size_t>(groups) * pairs * 2 * group, 0);
  col_sum_.assign(static_cast<size_t>(groups) * group, 0);
  for (int c = 0; c < C; ++c)
    for (int t = 0; t < taps; ++t) col_sum_[c] += filter[static_cast<size_t>(t) * C + c];
  for (int grp = 0; grp < groups; ++grp)
    for (int p = 0; p < pairs; ++p)
      for (int slot = 0; slot < group; ++slot) {
        const int c = grp * group + lane_channel[slot];
        if (c >= C) continue;
        int16_t* dst =
            packed_.data() + (static_cast<size_t>(grp) * pairs + p) * 2 * group + 2 * slot;
        for (int i = 0; i < 2; ++i) {
          const int t = 2 * p + i;
          dst[i] = t < taps ? filter[static_cast<size_t>(t) * C + c] : 0;
        }
      }
  scales_.resize(static_cast<size_t>(groups) * group, 0.f);
  bias_.resize(static_cast<size_t>(groups) * group, 0.f);
  args_.scales = scales_.data();
  args_.bias = bias_.data();
  args_.packed = packed_.data();
  args_.col_sum = col_sum_.data();
}

// The expanded input (a multiplier > 1), then the zero rows (packed paths).
size_t DepthwiseHybridKernel::ExpandedBytes() const {
  const ConvGeometry& g = args_.g;
  return expand_from_ ? (static_cast<size_t>(g.batch) * g.in_h * g.in_w * g.in_c + 63) / 64 * 64
                      : 0;
}

size_t DepthwiseHybridKernel::ScratchBytes() const {
  return ExpandedBytes() +
         (packed_.empty() ? 0 : static_cast<size_t>(args_.g.batch) * args_.g.in_c);
}

void DepthwiseHybridKernel::Run(const int8_t* q, const RowQuantization* rq, float* output,
                                uint8_t* scratch, ThreadPool* pool) const {
  DepthwiseHybridArgs args = args_;
  if (expand_from_) {
    const int M = args.g.in_c / expand_from_;
    const size_t pixels = static_cast<size_t>(args.g.batch) * args.g.in_h * args.g.in_w;
    int8_t* expanded = reinterpret_cast<int8_t*>(scratch);
    ParallelSlices(pool, static_cast<int64_t>(pixels), 256, [&](int64_t p0, int64_t p1) {
      RepeatChannels(q, expand_from_, M, static_cast<size_t>(p0), static_cast<size_t>(p1),
                     expanded);
    });
    q = expanded;
    scratch += ExpandedBytes();
  }
  if (!packed_.empty()) {
    int8_t* zero_rows = reinterpret_cast<int8_t*>(scratch);
    for (int b = 0; b < args.g.batch; ++b)
      std::memset(zero_rows + static_cast<size_t>(b) * args.g.in_c,
                  static_cast<uint8_t>(rq[b].zero_point), args.g.in_c);
    args.zero_rows = zero_rows;
  }
  const int total = args.g.batch * args.g.out_h;
  const int workers = pool ? std::min(pool->num_threads(), total) : 1;
  if (workers <= 1) {
    rows_(args, q, rq, 0, total, output);
    return;
  }
  // Row ranges fixed by the task index: results do not depend on who runs it.
  const int tasks = std::min(total, 4 * workers);
  ParallelUnits(pool, tasks, [&](int t) {
    const int r0 = static_cast<int>(static_cast<int64_t>(total) * t / tasks);
    const int r1 = static_cast<int>(static_cast<int64_t>(total) * (t + 1) / tasks);
    rows_(args, q, rq, r0, r1 - r0, output);
  });
}

}  // namespace pyrt
