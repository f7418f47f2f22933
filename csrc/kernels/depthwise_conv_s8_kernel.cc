#include "kernels/depthwise_conv_s8_kernel.h"

#include <algorithm>

#if defined(__x86_64__)
#include "kernels/x86/avx2/qs8_dwconv_c16_avx2.h"
#define PYRT_HAVE_AVX2_KERNELS 1
#endif

namespace pyrt {
namespace {

#ifdef PYRT_HAVE_AVX2_KERNELS
// The layout documented in qs8_dwconv_c16_avx2.h.
std::vector<int8_t> PackDwC16Weights(const ConvGeometry& g, const int8_t* filter) {
  const int C = g.out_c, taps = g.filter_h * g.filter_w, pairs = (taps + 1) / 2;
  const int groups = (C + 15) / 16;
  std::vector<int8_t> packed(static_cast<size_t>(groups) * pairs * 32, 0);
  for (int k = 0; k < groups; ++k)
    for (int p = 0; p < pairs; ++p)
      for (int j = 0; j < 16; ++j) {
        const int c = k * 16 + kDwC16LaneChannel[j];
        for (int half = 0; half < 2; ++half) {
          const int t = 2 * p + half;
          if (c >= C || t >= taps) continue;
          packed[((static_cast<size_t>(k) * pairs + p) * 16 + j) * 2 + half] =
              filter[static_cast<size_t>(t) * C + c];
        }
      }
  return packed;
}
#endif

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
#ifdef PYRT_HAVE_AVX2_KERNELS
  simd_ = IsaAtLeast(isa, Isa::kAvx2) && depth_multiplier == 1 &&
          g.filter_h * g.filter_w <= kDwConvAvx2MaxTaps;
  if (simd_) {
    // bias - zp * sum(w), wrapping like the reference's int32 accumulation.
    std::vector<int32_t> folded(bias);
    const int taps = g.filter_h * g.filter_w;
    for (int c = 0; c < g.out_c; ++c) {
      int64_t sum = 0;
      for (int t = 0; t < taps; ++t) sum += filter[static_cast<size_t>(t) * g.out_c + c];
      folded[c] = static_cast<int32_t>(static_cast<uint32_t>(bias[c]) -
                                       static_cast<uint32_t>(sum * input_zero_point));
    }
    packed_weights_ = PackDwC16Weights(g, filter);
    zero_row_.assign((g.in_c + 15) / 16 * 16, static_cast<int8_t>(input_zero_point));
    // Epilogue arrays in the kernel's lane order; padding channels get zeros.
    const int padded = (g.out_c + 15) / 16 * 16;
    std::vector<int32_t> lane_bias(padded, 0), lane_mult(padded, 0), lane_shift(padded, 0);
    for (int slot = 0; slot < padded; ++slot) {
      const int c = slot / 16 * 16 + kDwC16LaneChannel[slot % 16];
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
#endif
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
#ifdef PYRT_HAVE_AVX2_KERNELS
  const Qs8GemmEpilogue ep = epilogue_.Get();
  const int rows = g_.batch * g_.out_h;
  const int threads = pool ? pool->num_threads() : 1;
  const int tasks = std::min(rows, threads == 1 ? 1 : 4 * threads);
  auto task = [&](int t) {
    Qs8DwConvC16Avx2(g_, input, packed_weights_.data(), zero_row_.data(), ep, output,
                     rows * t / tasks, rows * (t + 1) / tasks);
  };
  if (tasks == 1) {
    task(0);
  } else {
    pool->ParallelFor(tasks, task);
  }
#endif
}

}  // namespace pyrt
