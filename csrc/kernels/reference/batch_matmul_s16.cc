#include "kernels/reference/batch_matmul_s16.h"

#include <algorithm>

#include "quant/fixed_point.h"

namespace pyrt {

template <typename Rhs>
void BatchMatMulS16(const BatchMatMulGeometry& g, const BatchMatMulS16Quant& q, const int16_t* lhs,
                    const Rhs* rhs, int16_t* output) {
  const int64_t m = g.rows, n = g.cols, k = g.depth;
  for (int b0 = 0; b0 < g.batch[0]; ++b0) {
    for (int b1 = 0; b1 < g.batch[1]; ++b1) {
      for (int b2 = 0; b2 < g.batch[2]; ++b2) {
        const int16_t* a = lhs + b0 * g.lhs_stride[0] + b1 * g.lhs_stride[1] + b2 * g.lhs_stride[2];
        const Rhs* w = rhs + b0 * g.rhs_stride[0] + b1 * g.rhs_stride[1] + b2 * g.rhs_stride[2];
        for (int64_t i = 0; i < m; ++i) {
          for (int64_t j = 0; j < n; ++j) {
            int64_t acc = 0;
            for (int64_t d = 0; d < k; ++d) {
              const int64_t x = g.adj_x ? a[d * m + i] : a[i * k + d];
              const int64_t y = g.adj_y ? w[j * k + d] : w[d * n + j];
              acc += x * y;
            }
            const int32_t v = MultiplyByQuantizedMultiplier64(acc, q.multiplier, q.shift);
            *output++ = static_cast<int16_t>(std::min(std::max(v, -32768), 32767));
          }
        }
      }
    }
  }
}

template void BatchMatMulS16<int16_t>(const BatchMatMulGeometry&, const BatchMatMulS16Quant&, const int16_t*,
                                      const int16_t*, int16_t*);
template void BatchMatMulS16<int8_t>(const BatchMatMulGeometry&, const BatchMatMulS16Quant&, const int16_t*,
                                     const int8_t*, int16_t*);

}  // namespace pyrt
