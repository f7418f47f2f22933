// TRANSPOSE_CONV and BATCH_MATMUL drivers: layout, packing and
// requantization here (portable code), inner loops per ISA
// (tconv_bmm_body.h).
#include <algorithm>
#include <cstdint>
#include <limits>

#include "kernels/reference/batch_matmul.h"
#include "kernels/reference/transpose_conv.h"
#include "core/thread_pool.h"
#include "kernels/f32_gemm/f32_gemm.h"

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
void DotRowS16(const int16_t*, const int16_t*, int, int64_t, uint32_t*);
}  // namespace tb_avx2

namespace {

#ifdef PYRT_HAVE_AVX2_TB
#define PYRT_TB_PICK(fn) (IsaAtLeast(isa, Isa::kAvx2) ? tb_avx2::fn : tb_portable::fn)
#else
#define PYRT_TB_PICK(fn) tb_portable::fn
#endif

size_t Align64(size_t n) { return (n + 63) / 64 * 64; }

// 8 independent partial sums, so the loop vectorizes without reassociation.
float DotF32(const float* a, const float* b, int64_t n) {
  float part[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t k = 0;
  for (; k + 8 <= n; k += 8)
    for (int j = 0; j < 8; ++j) part[j] += a[k + j] * b[k + j];
  float s = ((part[0] + part[1]) + (part[2] + part[3])) + ((part[4] + part[5]) + (part[6] + part[7]));
  for (; k < n; ++k) s += a[k] * b[k];
  return s;
}

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

void TransposeConvF32(const ConvGeometry& g, const float* input, const float* filter,
                      const float* bias, float act_min, float act_max, float* output,
                      uint8_t* scratch, ThreadPool* pool) {
  const size_t slot = Align64(sizeof(float) * g.out_c);
  SplitRows(g.batch * g.out_h, pool, [&](int r0, int r1, int w) {
    float* acc = reinterpret_cast<float*>(scratch + w * slot);
    float* out = output + int64_t{r0} * g.out_w * g.out_c;
    for (int r = r0; r < r1; ++r)
      for (int ox = 0; ox < g.out_w; ++ox) {
        tb_portable::PixelSums(g, input, filter, r / g.out_h, r % g.out_h, ox, acc, DotF32);
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

// Float: each batch's lhs as rows of depth floats, its rhs packed into the
// float GEMM's 16-column panels (or, for at most kGemmF32DotMaxN columns,
// kept as rows too: GemmF32Args::b_rows), then the path's GEMM kernel with a
// zero bias and no clamp.
namespace {

struct BatchMatMulF32Scratch {
  size_t a, b_rows, panels, bias, total;  // float offsets, 64-byte aligned
};

BatchMatMulF32Scratch F32ScratchLayout(const BatchMatMulGeometry& g) {
  constexpr size_t kLine = 16;  // floats
  auto whole = [](size_t n) { return (n + kLine - 1) / kLine * kLine; };
  const size_t padded_cols = whole(static_cast<size_t>(g.cols));
  BatchMatMulF32Scratch s{};
  s.a = 0;
  s.b_rows = whole(static_cast<size_t>(g.rows) * g.depth);
  s.panels = s.b_rows + (g.cols <= kGemmF32DotMaxN ? whole(static_cast<size_t>(g.cols) * g.depth) : 0);
  s.bias = s.panels + padded_cols * g.depth;
  s.total = s.bias + padded_cols;
  return s;
}

// rhs (depth x cols, or cols x depth when adj_y) into PackGemmF32B's layout.
void PackRhsPanels(const float* rhs, const BatchMatMulGeometry& g, float* dst) {
  constexpr int kW = kGemmF32PanelWidth;
  for (int p0 = 0; p0 < g.cols; p0 += kW) {
    const int cols = std::min(kW, g.cols - p0);
    for (int k = 0; k < g.depth; ++k, dst += kW) {
      for (int j = 0; j < cols; ++j)
        dst[j] = g.adj_y ? rhs[int64_t{p0 + j} * g.depth + k] : rhs[int64_t{k} * g.cols + p0 + j];
      std::fill(dst + cols, dst + kW, 0.f);
    }
  }
}

}  // namespace

size_t BatchMatMulF32ScratchBytes(const BatchMatMulGeometry& g) {
  return sizeof(float) * F32ScratchLayout(g).total + 64;  // + 64: aligning the base
}

void BatchMatMulF32(Isa isa, const BatchMatMulGeometry& g, const float* lhs, const float* rhs,
                    float* output, uint8_t* scratch) {
  const BatchMatMulF32Scratch layout = F32ScratchLayout(g);
  float* base = reinterpret_cast<float*>(Align64(reinterpret_cast<uintptr_t>(scratch)));
  float* a = base + layout.a;
  float* b_rows = base + layout.b_rows;
  GemmF32Args args;
  args.n = g.cols;
  args.k = g.depth;
  args.packed = base + layout.panels;
  args.bias = base + layout.bias;
  args.b_rows = g.cols <= kGemmF32DotMaxN ? b_rows : nullptr;
  args.act_min = -std::numeric_limits<float>::infinity();
  args.act_max = std::numeric_limits<float>::infinity();
  std::fill(base + layout.bias, base + layout.total, 0.f);
  const GemmF32RowsFn gemm = F32GemmConfigFor(isa).gemm;
  ForEachBatch(g, lhs, rhs, output, [&](const float* l, const float* r, float* out) {
    PackRows<float, float>(l, g.rows, g.depth, g.adj_x, 0.f, a);
    if (args.b_rows) PackRows<float, float>(r, g.cols, g.depth, !g.adj_y, 0.f, b_rows);
    PackRhsPanels(r, g, base + layout.panels);
    gemm(args, a, g.depth, g.rows, out, g.cols);
  });
}

}  // namespace pyrt
