#include "kernels/depthwise_conv_s8_kernel.h"

#include <algorithm>

#if defined(__x86_64__)
#include "kernels/x86/avx2/qs8_dwconv_c16_avx2.h"
#define PYRT_HAVE_AVX2_KERNELS 1
#endif

namespace pyrt {

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
  simd_ = isa == Isa::kAvx2 && depth_multiplier == 1;
#endif
  if (simd_) {
    Qs8RequantParams p;
    p.bias = bias.data();
    p.multiplier = multiplier.data();
    p.shift = shift.data();
    p.output_zero_point = output_zero_point;
    p.act_min = act_min;
    p.act_max = act_max;
    epilogue_.Init(Qs8Requant::kGemmlowp, g.out_c, (g.out_c + 15) / 16 * 16, p);
    return;
  }
  bias_ = bias;
  multiplier_ = multiplier;
  shift_ = shift;
  rq_.bias = bias_.data();
  rq_.multiplier = multiplier_.data();
  rq_.shift = shift_.data();
  rq_.output_zero_point = output_zero_point;
  rq_.act_min = act_min;
  rq_.act_max = act_max;
}

size_t DepthwiseConvS8Kernel::scratch_bytes() const {
  return simd_ ? 0 : DepthwiseConvS8ScratchBytes(g_);
}

void DepthwiseConvS8Kernel::Run(const int8_t* input, int8_t* output, uint8_t* scratch,
                                ThreadPool* pool) const {
  if (!simd_) {
    DepthwiseConvS8(g_, depth_multiplier_, input, filter_, input_zero_point_, rq_, output,
                    scratch);
    return;
  }
#ifdef PYRT_HAVE_AVX2_KERNELS
  const Qs8GemmEpilogue ep = epilogue_.Get();
  const int rows = g_.batch * g_.out_h;
  const int threads = pool ? pool->num_threads() : 1;
  const int tasks = std::min(rows, threads == 1 ? 1 : 4 * threads);
  auto task = [&](int t) {
    Qs8DwConvC16Avx2(g_, input, filter_, input_zero_point_, ep, output, rows * t / tasks,
                     rows * (t + 1) / tasks);
  };
  if (tasks == 1) {
    task(0);
  } else {
    pool->ParallelFor(tasks, task);
  }
#endif
}

}  // namespace pyrt
