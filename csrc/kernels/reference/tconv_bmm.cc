// TRANSPOSE_CONV and BATCH_MATMUL drivers: layout, packing and
// requantization here (portable code), inner loops per ISA
// (tconv_bmm_body.h).
#include <algorithm>

#include "kernels/reference/batch_matmul.h"
#include "kernels/reference/transpose_conv.h"
#include "core/thread_pool.h"

#define PYRT_TB_NS tb_portable
#include "kernels/reference/tconv_bmm_body.h"
#undef PYRT_TB_NS

// The AVX2 instantiation is built on x86-64 only (see CMakeLists.txt).
#if defined(__x86_64__)
#define PYRT_HAVE_AVX2_TB 1
#endif

namespace pyrt {

namespace tb_avx2 {
void TransposeConvPixelS16(const ConvGeometry&, const int16_t*, const int16_t*, int, int, int, uint32_t*);
void TransposeConvPixelF32(const ConvGeometry&, const float*, const float*, int, int, int, float*);
void DotRowS16(const int16_t*, const int16_t*, int, int64_t, uint32_t*);
void DotRowF32(const float*, const float*, int, int64_t, float*);
}  // namespace tb_avx2

namespace {

#ifdef PYRT_HAVE_AVX2_TB
#define PYRT_TB_PICK(fn) (IsaAtLeast(isa, Isa::kAvx2) ? tb_avx2::fn : tb_portable::fn)
#else
#define PYRT_TB_PICK(fn) tb_portable::fn
#endif

size_t Align64(size_t n) { return (n + 63) / 64 * 64; }

// Runs rows(r0, r1, slot) over [0, n) split into at most kTransposeConvSlots
// contiguous ranges, one per worker; each output is computed by exactly one
// worker, so results do not depend on the split.
template <typename Rows>
void SplitRows(int n, ThreadPool* pool, Rows&& rows) {
  const int workers = std::max(1, std::min({pool ? pool->num_threads() : 1, kTransposeConvSlots, n}));
  auto task = [&](int w) {
    rows(static_cast<int>(int64_t{n} * w / workers), static_cast<int>(int64_t{n} * (w + 1) / workers), w);
  };
  if (workers == 1) {
    task(0);
  } else {
    pool->ParallelFor(workers, task);
  }
}

// Copies a rows x depth operand into row-major rows of `depth` values,
// offset by `zero`; `transposed` means it is stored depth x rows.
template <typename In, typename Out>
void PackRows(const In* src, int rows, int depth, bool transposed, Out zero, Out* dst) {
  if (!transposed) {
    for (int64_t i = 0; i < int64_t{rows} * depth; ++i) dst[i] = static_cast<Out>(src[i] - zero);
    return;
  }
  for (int r = 0; r < rows; ++r)
    for (int k = 0; k < depth; ++k)
      dst[int64_t{r} * depth + k] = static_cast<Out>(src[int64_t{k} * rows + r] - zero);
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

size_t TransposeConvS8ScratchBytes(const ConvGeometry& g) {
  return kTransposeConvSlots * Align64(sizeof(uint32_t) * static_cast<size_t>(g.out_c)) +
         sizeof(int16_t) * static_cast<size_t>(g.batch) * g.in_h * g.in_w * g.in_c;
}

size_t TransposeConvF32ScratchBytes(const ConvGeometry& g) {
  return kTransposeConvSlots * Align64(sizeof(float) * static_cast<size_t>(g.out_c));
}

void TransposeConvS8(Isa isa, const ConvGeometry& g, const int8_t* input, const int16_t* filter,
                     int32_t input_zero_point, const ChannelRequant& rq, int8_t* output,
                     uint8_t* scratch, ThreadPool* pool) {
  const auto pixel = PYRT_TB_PICK(TransposeConvPixelS16);
  const size_t slot = Align64(sizeof(uint32_t) * g.out_c);
  int16_t* x16 = reinterpret_cast<int16_t*>(scratch + kTransposeConvSlots * slot);
  const int64_t in_size = int64_t{g.batch} * g.in_h * g.in_w * g.in_c;
  for (int64_t i = 0; i < in_size; ++i) x16[i] = static_cast<int16_t>(input[i] - input_zero_point);
  SplitRows(g.batch * g.out_h, pool, [&](int r0, int r1, int w) {
    uint32_t* acc = reinterpret_cast<uint32_t*>(scratch + w * slot);
    int8_t* out = output + int64_t{r0} * g.out_w * g.out_c;
    for (int r = r0; r < r1; ++r)
      for (int ox = 0; ox < g.out_w; ++ox) {
        pixel(g, x16, filter, r / g.out_h, r % g.out_h, ox, acc);
        for (int oc = 0; oc < g.out_c; ++oc)
          *out++ = static_cast<int8_t>(Requantize(static_cast<int32_t>(acc[oc]), rq, oc));
      }
  });
}

void TransposeConvF32(Isa isa, const ConvGeometry& g, const float* input, const float* filter,
                      const float* bias, float act_min, float act_max, float* output,
                      uint8_t* scratch, ThreadPool* pool) {
  const auto pixel = PYRT_TB_PICK(TransposeConvPixelF32);
  const size_t slot = Align64(sizeof(float) * g.out_c);
  SplitRows(g.batch * g.out_h, pool, [&](int r0, int r1, int w) {
    float* acc = reinterpret_cast<float*>(scratch + w * slot);
    float* out = output + int64_t{r0} * g.out_w * g.out_c;
    for (int r = r0; r < r1; ++r)
      for (int ox = 0; ox < g.out_w; ++ox) {
        pixel(g, input, filter, r / g.out_h, r % g.out_h, ox, acc);
        for (int oc = 0; oc < g.out_c; ++oc)
          *out++ = std::min(std::max(acc[oc] + (bias ? bias[oc] : 0.f), act_min), act_max);
      }
  });
}

size_t BatchMatMulS8ScratchBytes(const BatchMatMulGeometry& g) {
  return Align64(sizeof(int16_t) * (static_cast<size_t>(g.rows) + g.cols) * g.depth) +
         sizeof(uint32_t) * static_cast<size_t>(g.cols);
}

void BatchMatMulS8(Isa isa, const BatchMatMulGeometry& g, const BatchMatMulQuant& q,
                   const int8_t* lhs, const int8_t* rhs, int8_t* output, uint8_t* scratch) {
  const auto dot_row = PYRT_TB_PICK(DotRowS16);
  int16_t* a = reinterpret_cast<int16_t*>(scratch);
  int16_t* b = a + int64_t{g.rows} * g.depth;
  uint32_t* sums = reinterpret_cast<uint32_t*>(
      scratch + Align64(sizeof(int16_t) * (static_cast<size_t>(g.rows) + g.cols) * g.depth));
  ForEachBatch(g, lhs, rhs, output, [&](const int8_t* l, const int8_t* r, int8_t* out) {
    PackRows<int8_t, int16_t>(l, g.rows, g.depth, g.adj_x, static_cast<int16_t>(q.lhs_zero_point), a);
    PackRows<int8_t, int16_t>(r, g.cols, g.depth, !g.adj_y, static_cast<int16_t>(q.rhs_zero_point), b);
    for (int i = 0; i < g.rows; ++i) {
      dot_row(a + int64_t{i} * g.depth, b, g.cols, g.depth, sums);
      for (int j = 0; j < g.cols; ++j) {
        const int32_t scaled =
            MultiplyByQuantizedMultiplier(static_cast<int32_t>(sums[j]), q.multiplier, q.shift);
        // Wrapping add, like the reference's int32 arithmetic.
        const int32_t v = static_cast<int32_t>(static_cast<uint32_t>(scaled) +
                                               static_cast<uint32_t>(q.output_zero_point));
        out[int64_t{i} * g.cols + j] = static_cast<int8_t>(std::min(std::max(v, -128), 127));
      }
    }
  });
}

size_t BatchMatMulF32ScratchBytes(const BatchMatMulGeometry& g) {
  return sizeof(float) * (static_cast<size_t>(g.rows) + g.cols) * g.depth;
}

void BatchMatMulF32(Isa isa, const BatchMatMulGeometry& g, const float* lhs, const float* rhs,
                    float* output, uint8_t* scratch) {
  const auto dot_row = PYRT_TB_PICK(DotRowF32);
  float* a = reinterpret_cast<float*>(scratch);
  float* b = a + int64_t{g.rows} * g.depth;
  ForEachBatch(g, lhs, rhs, output, [&](const float* l, const float* r, float* out) {
    PackRows<float, float>(l, g.rows, g.depth, g.adj_x, 0.f, a);
    PackRows<float, float>(r, g.cols, g.depth, !g.adj_y, 0.f, b);
    for (int i = 0; i < g.rows; ++i)
      dot_row(a + int64_t{i} * g.depth, b, g.cols, g.depth, out + int64_t{i} * g.cols);
  });
}

}  // namespace pyrt
