// BATCH_MATMUL kernels: out[b] = op(lhs[b]) x op(rhs[b]) where op
// transposes the last two dimensions when adj_x / adj_y is set and the
// leading (batch) dimensions broadcast. Each matrix pair is first packed
// into rows of depth K (lhs rows, rhs columns) so dot products read
// contiguous memory.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/isa.h"

namespace pyrt {

constexpr int kBatchMatMulBatchDims = 3;  // ranks up to 5: 3 batch dims

struct BatchMatMulGeometry {
  int batch[kBatchMatMulBatchDims];            // broadcast output batch dims
  int64_t lhs_stride[kBatchMatMulBatchDims];   // elements; 0 where lhs broadcasts
  int64_t rhs_stride[kBatchMatMulBatchDims];
  int rows, cols, depth;  // M, N, K: output matrices are M x N
  bool adj_x, adj_y;      // lhs stored K x M, rhs stored N x K
};

// int8 results: MultiplyByQuantizedMultiplier of the int32 (wrapping) sum
// of (lhs - lhs_zp) * (rhs - rhs_zp), plus the output zero point, clamped.
struct BatchMatMulQuant {
  int32_t lhs_zero_point, rhs_zero_point;
  int32_t multiplier;
  int shift;
  int32_t output_zero_point;
};

size_t BatchMatMulS8ScratchBytes(const BatchMatMulGeometry& g);
void BatchMatMulS8(Isa isa, const BatchMatMulGeometry& g, const BatchMatMulQuant& q, const int8_t* lhs,
                   const int8_t* rhs, int8_t* output, uint8_t* scratch);

size_t BatchMatMulF32ScratchBytes(const BatchMatMulGeometry& g);
void BatchMatMulF32(Isa isa, const BatchMatMulGeometry& g, const float* lhs, const float* rhs,
                    float* output, uint8_t* scratch);

}  // namespace pyrt
