#include "kernels/depthwise_hybrid_kernel.h"

#include <algorithm>

#include "core/thread_pool.h"

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
  args_.depth_multiplier = depth_multiplier;
  args_.filter = filter_.data();
  args_.scales = scales_.data();
  args_.bias = bias_.data();
  args_.act_min = act_min;
  args_.act_max = act_max;
  args_.vector_channels = g.out_c / 4 * 4;
  rows_ = dwh_portable::DepthwiseHybridRows;
#if defined(__x86_64__)
  if (IsaAtLeast(isa, Isa::kAvx2)) rows_ = dwh_avx2::DepthwiseHybridRows;
#endif
}

void DepthwiseHybridKernel::Run(const int8_t* q, const RowQuantization* rq, float* output,
                                ThreadPool* pool) const {
  const int total = args_.g.batch * args_.g.out_h;
  const int workers = pool ? std::min(pool->num_threads(), total) : 1;
  if (workers <= 1) {
    rows_(args_, q, rq, 0, total, output);
    return;
  }
  // Row ranges fixed by the task index: results do not depend on who runs it.
  const int tasks = std::min(total, 4 * workers);
  pool->ParallelFor(tasks, [&](int t) {
    const int r0 = static_cast<int>(static_cast<int64_t>(total) * t / tasks);
    const int r1 = static_cast<int>(static_cast<int64_t>(total) * (t + 1) / tasks);
    rows_(args_, q, rq, r0, r1 - r0, output);
  });
}

}  // namespace pyrt
