#include "kernels/depthwise_conv_s8_kernel.h"

#include <algorithm>

#if defined(__x86_64__)
#include "kernels/x86/avx2/qs8_dwconv_c16_avx2.h"
#include "kernels/x86/avx512vnni/qs8_dwconv_c32_avx512vnni.h"
#define PYRT_HAVE_X86_KERNELS 1
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
  (void)isa;
  return nullptr;
}

namespace {

// The layout documented with the microkernels: per group of `group`
// channels, per pair of taps, (w[t][c], w[t+1][c]) for each lane slot.
std::vector<int8_t> PackDwWeights(const DwConvS8Config& cfg, const ConvGeometry& g,
                                  const int8_t* filter) {
  const int C = g.out_c, taps = g.filter_h * g.filter_w, pairs = (taps + 1) / 2;
  const int G = cfg.group, groups = (C + G - 1) / G;
  std::vector<int8_t> packed(static_cast<size_t>(groups) * pairs * 2 * G, 0);
  for (int k = 0; k < groups; ++k)
    for (int p = 0; p < pairs; ++p)
      for (int j = 0; j < G; ++j) {
        const int c = k * G + cfg.lane_channel[j];
        for (int half = 0; half < 2; ++half) {
          const int t = 2 * p + half;
          if (c >= C || t >= taps) continue;
          packed[((static_cast<size_t>(k) * pairs + p) * G + j) * 2 + half] =
              filter[static_cast<size_t>(t) * C + c];
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
  simd_ = config_ && depth_multiplier == 1 && g.filter_h * g.filter_w <= config_->max_taps;
  if (simd_) {
    const int G = config_->group;
    // bias - zp * sum(w), wrapping like the reference's int32 accumulation.
    std::vector<int32_t> folded(bias);
    const int taps = g.filter_h * g.filter_w;
    for (int c = 0; c < g.out_c; ++c) {
      int64_t sum = 0;
      for (int t = 0; t < taps; ++t) sum += filter[static_cast<size_t>(t) * g.out_c + c];
      folded[c] = static_cast<int32_t>(static_cast<uint32_t>(bias[c]) -
                                       static_cast<uint32_t>(sum * input_zero_point));
    }
    packed_weights_ = PackDwWeights(*config_, g, filter);
    zero_row_.assign((g.in_c + G - 1) / G * G, static_cast<int8_t>(input_zero_point));
    // Epilogue arrays in the kernel's lane order; padding channels get zeros.
    const int padded = (g.out_c + G - 1) / G * G;
    std::vector<int32_t> lane_bias(padded, 0), lane_mult(padded, 0), lane_shift(padded, 0);
    for (int slot = 0; slot < padded; ++slot) {
      const int c = slot / G * G + config_->lane_channel[slot % G];
      if (c >= g.out_c) continue;
      lane_bias[slot] = folded[c];
      lane_mult[slot] = multiplier[c];
      lane_shift[slot] = shift[c];
    }
    Qs8RequantParams p;
    p.bias = lane_bias.data();
    p.multiplier = lane_mult.data();
    p.shift = lane_shift.data();
    p.output_zero_point = output_zero_point;
    p.act_min = act_min;
    p.act_max = act_max;
    epilogue_.Init(Qs8Requant::kGemmlowp, padded, padded, p);
    return;
  }
  rq_.Set(bias, multiplier, shift, output_zero_point, act_min, act_max);
}

size_t DepthwiseConvS8Kernel::scratch_bytes() const {
  return simd_ ? 0 : DepthwiseConvS8ScratchBytes(g_);
}

void DepthwiseConvS8Kernel::Run(const int8_t* input, int8_t* output, uint8_t* scratch,
                                ThreadPool* pool) const {
  if (!simd_) {
    DepthwiseConvS8(g_, depth_multiplier_, input, filter_, input_zero_point_, rq_.get(), output,
                    scratch);
    return;
  }
  const Qs8GemmEpilogue ep = epilogue_.Get();
  const int rows = g_.batch * g_.out_h;
  const int threads = pool ? pool->num_threads() : 1;
  const int tasks = std::min(rows, threads == 1 ? 1 : 4 * threads);
  auto task = [&](int t) {
    config_->rows(g_, input, packed_weights_.data(), zero_row_.data(), ep, output,
                  rows * t / tasks, rows * (t + 1) / tasks);
  };
  if (tasks == 1) {
    task(0);
  } else {
    pool->ParallelFor(tasks, task);
  }
}

}  // namespace pyrt
