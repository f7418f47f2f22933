#include "kernels/reference/batch_matmul.h"

#include <algorithm>

#include "kernels/reference/dot.h"
#include "quant/fixed_point.h"

namespace pyrt {
namespace {

// Copies a rows x depth operand into row-major rows of `depth` values,
// offset by `zero`; `transposed` means it is stored depth x rows.
template <typename In, typename Out>
void PackRows(const In* src, int rows, int depth, bool transposed, Out zero, Out* dst) {
  if (!transposed) {
    for (int64_t i = 0; i < int64_t{rows} * depth; ++i) dst[i] = static_cast<Out>(src[i] - zero);
    return;
  }
  for (int r = 0; r < rows; ++r)
    for (int k = 0; k < depth; ++k) dst[int64_t{r} * depth + k] = static_cast<Out>(src[int64_t{k} * rows + r] - zero);
}

// Calls mm(lhs_matrix, rhs_matrix, out_matrix) for every output batch.
template <typename T, typename Out, typename MatMul>
void ForEachBatch(const BatchMatMulGeometry& g, const T* lhs, const T* rhs, Out* out, MatMul&& mm) {
  const int64_t out_size = int64_t{g.rows} * g.cols;
  for (int b0 = 0; b0 < g.batch[0]; ++b0)
    for (int b1 = 0; b1 < g.batch[1]; ++b1)
      for (int b2 = 0; b2 < g.batch[2]; ++b2) {
        const int64_t l = b0 * g.lhs_stride[0] + b1 * g.lhs_stride[1] + b2 * g.lhs_stride[2];
        const int64_t r = b0 * g.rhs_stride[0] + b1 * g.rhs_stride[1] + b2 * g.rhs_stride[2];
        mm(lhs + l, rhs + r, out);
        out += out_size;
      }
}

}  // namespace

size_t BatchMatMulS8ScratchBytes(const BatchMatMulGeometry& g) {
  return sizeof(int16_t) * (static_cast<size_t>(g.rows) + g.cols) * g.depth;
}

void BatchMatMulS8(const BatchMatMulGeometry& g, const BatchMatMulQuant& q, const int8_t* lhs,
                   const int8_t* rhs, int8_t* output, uint8_t* scratch) {
  int16_t* a = reinterpret_cast<int16_t*>(scratch);
  int16_t* b = a + int64_t{g.rows} * g.depth;
  ForEachBatch(g, lhs, rhs, output, [&](const int8_t* l, const int8_t* r, int8_t* out) {
    PackRows<int8_t, int16_t>(l, g.rows, g.depth, g.adj_x, static_cast<int16_t>(q.lhs_zero_point), a);
    PackRows<int8_t, int16_t>(r, g.cols, g.depth, !g.adj_y, static_cast<int16_t>(q.rhs_zero_point), b);
    for (int i = 0; i < g.rows; ++i)
      for (int j = 0; j < g.cols; ++j) {
        const int32_t acc = DotS16Wrapping(a + int64_t{i} * g.depth, b + int64_t{j} * g.depth, g.depth);
        // Wrapping add, like the reference's int32 arithmetic.
        const int32_t v = static_cast<int32_t>(
            static_cast<uint32_t>(MultiplyByQuantizedMultiplier(acc, q.multiplier, q.shift)) +
            static_cast<uint32_t>(q.output_zero_point));
        out[int64_t{i} * g.cols + j] = static_cast<int8_t>(std::min(std::max(v, -128), 127));
      }
  });
}

size_t BatchMatMulF32ScratchBytes(const BatchMatMulGeometry& g) {
  return sizeof(float) * (static_cast<size_t>(g.rows) + g.cols) * g.depth;
}

void BatchMatMulF32(const BatchMatMulGeometry& g, const float* lhs, const float* rhs,
                    float* output, uint8_t* scratch) {
  float* a = reinterpret_cast<float*>(scratch);
  float* b = a + int64_t{g.rows} * g.depth;
  ForEachBatch(g, lhs, rhs, output, [&](const float* l, const float* r, float* out) {
    PackRows<float, float>(l, g.rows, g.depth, g.adj_x, 0.f, a);
    PackRows<float, float>(r, g.cols, g.depth, !g.adj_y, 0.f, b);
    for (int i = 0; i < g.rows; ++i)
      for (int j = 0; j < g.cols; ++j)
        out[int64_t{i} * g.cols + j] = DotF32(a + int64_t{i} * g.depth, b + int64_t{j} * g.depth, g.depth);
  });
}

}  // namespace pyrt
