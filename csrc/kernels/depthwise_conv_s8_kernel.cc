#include "kernels/depthwise_conv_s8_kernel.h"

#include <algorithm>

#include "core/unit_ranges.h"
#include "kernels/packed_requant.h"
#include "kernels/repeat_channels.h"

#if defined(__x86_64__)
#include "kernels/x86/avx2/qs8_dwconv_c16_avx2.h"
#include "kernels/x86/avx512vnni/qs8_dwconv_c32_avx512vnni.h"
#define PYRT_HAVE_X86_KERNELS 1
#endif
#if defined(__aarch64__)
#include "kernels/arm/neon/qs8_dwconv_c16_neon.h"
#define PYRT_HAVE_ARM_KERNELS 1
#endif

namespace pyrt {

const DwConvS8Config* DwConvS8ConfigFor(Isa isa) {
#ifdef PYRT_HAVE_X86_KERNELS
  static const DwConvS8Config avx2{16, kDwC16LaneChannel, kDwConvAvx2MaxTaps, Qs8DwConvC16Avx2};
  static const DwConvS8Config avx512vnni{32, kDwC32LaneChannel, kDwConvAvx512VnniMaxTaps,
                                         Qs8DwConvC32Avx512Vnni};
  if (IsaAtLeast(isa, Isa::kAvx512Vnni)) return &avx512vnni;
  if (IsaAtLeast(isa, Isa::kAvx2)) return &avx2;
#endif
#ifdef PYRT_HAVE_ARM_KERNELS
  // One ARMv8.0 kernel for every Arm path (dotprod would need taps
  // interleaved in fours: more shuffles than it saves for a depthwise).
  static const DwConvS8Config neon{16, kDwC16NeonLaneChannel, kDwConvNeonMaxTaps,
                                   Qs8DwConvC16Neon};
  if (IsaAtLeast(isa, Isa::kNeon)) return &neon;
#endif
  (void)isa;
  return nullptr;
}

size_t DwConvS8GroupBytes(const DwConvS8Config& cfg, int taps) {
  return static_cast<size_t>((taps + 1) / 2) * cfg.group * 2 * sizeof(int16_t) +
         GemmlowpRequantBytes(cfg.group);
}

namespace {

// The layout documented with the microkernels: per group of `group`
// channels, per pair of taps, (w[t][c], w[t+1][c]) as int16 for each lane
// slot, then the group's requantization in lane-slot order. bias: folded.
std::vector<int8_t> PackDwGroups(const DwConvS8Config& cfg, const ConvGeometry& g,
                                 const int8_t* filter, const std::vector<int32_t>& bias,
                                 const std::vector<int32_t>& multiplier,
                                 const std::vector<int32_t>& shift, Qs8GemmEpilogue& scalars) {
  const int C = g.out_c, taps = g.filter_h * g.filter_w, pairs = (taps + 1) / 2;
  const int G = cfg.group, groups = (C + G - 1) / G;
  const size_t group_bytes = DwConvS8GroupBytes(cfg, taps);
  std::vector<int8_t> packed(groups * group_bytes, 0);
  for (int k = 0; k < groups; ++k) {
    int8_t* group = packed.data() + k * group_bytes;
    int16_t* w = reinterpret_cast<int16_t*>(group);
    int32_t* q = reinterpret_cast<int32_t*>(group + static_cast<size_t>(pairs) * G * 4);
    for (int j = 0; j < G; ++j) {
      const int c = k * G + cfg.lane_channel[j];
      if (c >= C) continue;  // padding lanes: zero weights and requantization
      for (int t = 0; t < taps; ++t)
        w[(static_cast<size_t>(t / 2) * G + j) * 2 + t % 2] = filter[static_cast<size_t>(t) * C + c];
      WriteGemmlowpRequant(q, G, j, bias[c], multiplier[c], shift[c], scalars);
    }
  }
  return packed;
}

}  // namespace

void DepthwiseConvS8Kernel::Init(Isa isa, const ConvGeometry& g, int depth_multiplier,
                                 const int8_t* filter, int32_t input_zero_point,
                                 const std::vector<int32_t>& bias,
                                 const std::vector<int32_t>& multiplier,
                                 const std::vector<int32_t>& shift, int32_t output_zero_point,
                                 int32_t act_min, int32_t act_max) {
  g_ = g;
  depth_multiplier_ = depth_multiplier;
  filter_ = filter;
  input_zero_point_ = input_zero_point;
  config_ = DwConvS8ConfigFor(isa);
  simd_ = config_ && g.filter_h * g.filter_w <= config_->max_taps;
  expand_from_ = 0;
  if (simd_ && depth_multiplier > 1) {
    expand_from_ = g.in_c;
    g_.in_c = g.out_c;
  }
  if (simd_) {
    const int G = config_->group;
    // bias - zp * sum(w), wrapping like the reference's int32 accumulation.
    // Tap by tap: each pass reads one contiguous row of channels.
    std::vector<int32_t> folded(bias);
    const int taps = g.filter_h * g.filter_w;
    std::vector<uint32_t> sums(g.out_c, 0);  // unsigned: wrapping is defined
    for (int t = 0; t < taps; ++t) {
      const int8_t* row = filter + static_cast<size_t>(t) * g.out_c;
      for (int c = 0; c < g.out_c; ++c) sums[c] += static_cast<uint32_t>(row[c]);
    }
    for (int c = 0; c < g.out_c; ++c) {
      folded[c] = static_cast<int32_t>(static_cast<uint32_t>(bias[c]) -
                                       sums[c] * static_cast<uint32_t>(input_zero_point));
    }
    scalars_ = EpilogueScalars(output_zero_point, act_min, act_max);
    packed_ = PackDwGroups(*config_, g, filter, folded, multiplier, shift, scalars_);
    zero_row_.assign((g_.in_c + G - 1) / G * G, static_cast<int8_t>(input_zero_point));
    return;
  }
  rq_.Set(bias, multiplier, shift, output_zero_point, act_min, act_max);
}

size_t DepthwiseConvS8Kernel::scratch_bytes() const {
  if (!simd_) return DepthwiseConvS8ScratchBytes(g_);
  return expand_from_ ? static_cast<size_t>(g_.batch) * g_.in_h * g_.in_w * g_.in_c : 0;
}

void DepthwiseConvS8Kernel::Run(const int8_t* input, int8_t* output, uint8_t* scratch,
                                ThreadPool* pool) const {
  if (!simd_) {
    DepthwiseConvS8(g_, depth_multiplier_, input, filter_, input_zero_point_, rq_.get(), output,
                    scratch);
    return;
  }
  const int threads = pool ? pool->num_threads() : 1;
  if (expand_from_) {  // each input channel M times, rows of pixels split among the units
    const int M = g_.in_c / expand_from_, in_rows = g_.batch * g_.in_h;
    const int units = std::min(in_rows, threads == 1 ? 1 : 4 * threads);
    int8_t* expanded = reinterpret_cast<int8_t*>(scratch);
    ParallelUnits(pool, units, [&](int u) {
      RepeatChannels(input, expand_from_, M, static_cast<size_t>(in_rows) * u / units * g_.in_w,
                     static_cast<size_t>(in_rows) * (u + 1) / units * g_.in_w, expanded);
    });
    input = expanded;
  }
  const int rows = g_.batch * g_.out_h;
  const int units = std::min(rows, threads == 1 ? 1 : 4 * threads);
  auto run_unit = [&](int u) {
    config_->rows(g_, input, packed_.data(), zero_row_.data(), scalars_, output,
                  rows * u / units, rows * (u + 1) / units);
  };
  ParallelUnits(pool, units, run_unit);
}

}  // namespace pyrt
