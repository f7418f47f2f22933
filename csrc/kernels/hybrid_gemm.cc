#include "kernels/hybrid_gemm.h"

#include <algorithm>

#if defined(__x86_64__)
#include "kernels/x86/avx2/hybrid_gemm_6x16c2_avx2.h"
#define PYRT_HAVE_AVX2_KERNELS 1
#endif

namespace pyrt {
namespace {

constexpr size_t kBlockBytes = 128 * 1024;  // one A block stays in L2
constexpr int kMaxBlockRows = 96;

}  // namespace

void HybridGemmPortable(int mr, int nr, int kp, const int16_t* a, size_t a_stride,
                        const int8_t* b, float* c, size_t c_stride, const HybridGemmEpilogue& ep,
                        int m0, int n0) {
  constexpr int kNr = PackedHybridGemm::kNr;
  for (int r = 0; r < mr; ++r) {
    const int16_t* row = a + r * a_stride;
    const float row_scale = ep.batch_scale[(m0 + r) / ep.rows_per_batch];
    for (int j = 0; j < nr; ++j) {
      // Wrapping int32 sum (as the SIMD paths); exact for real sizes.
      uint32_t acc = 0;
      for (int k = 0; k < kp; k += 2) {
        const int8_t* w = b + (k / 2) * kNr * 2 + j * 2;
        acc += static_cast<uint32_t>(row[k] * w[0] + row[k + 1] * w[1]);
      }
      const int n = n0 + j;
      const float scale = ep.col_scale[n] * row_scale;
      const float y = static_cast<float>(static_cast<int32_t>(acc)) * scale + ep.bias[n];
      c[r * c_stride + j] = std::max(std::min(y, ep.act_max), ep.act_min);
    }
  }
}

void PackedHybridGemm::Init(Isa isa, int N, int K, const int8_t* B, const float* col_scale,
                            const float* bias, float act_min, float act_max) {
  ukernel_ = HybridGemmPortable;
#ifdef PYRT_HAVE_AVX2_KERNELS
  if (IsaAtLeast(isa, Isa::kAvx2)) ukernel_ = HybridGemm6x16c2Avx2;
#endif
  N_ = N;
  kp_ = (K + 1) / 2 * 2;
  const int panels = (N + kNr - 1) / kNr, padded_n = panels * kNr;
  const size_t row_bytes = static_cast<size_t>(kp_) * sizeof(int16_t);
  block_rows_ = static_cast<int>(std::min<size_t>(kMaxBlockRows, kBlockBytes / row_bytes));
  block_rows_ = std::max(kMr, block_rows_ / kMr * kMr);

  const int kp = kp_;
  b_.assign(static_cast<size_t>(padded_n) * kp, 0);
  for (int n = 0; n < N; ++n) {
    int8_t* dst = b_.data() + static_cast<size_t>(n / kNr) * kNr * kp + (n % kNr) * 2;
    const int8_t* src = B + static_cast<size_t>(n) * K;
    for (int k = 0; k < K; ++k) dst[(k / 2) * kNr * 2 + k % 2] = src[k];
  }
  col_scale_.assign(padded_n, 0.f);
  std::copy(col_scale, col_scale + N, col_scale_.begin());
  bias_.assign(padded_n, 0.f);
  if (bias) std::copy(bias, bias + N, bias_.begin());
  act_min_ = act_min;
  act_max_ = act_max;
}

void PackedHybridGemm::RunPanels(const HybridGemmEpilogue& ep, int m0, int rows,
                                 const int16_t* a, int p0, int p1, float* c, size_t ldc) const {
  for (int p = p0; p < p1; ++p) {
    const int n0 = p * kNr, nr = std::min(kNr, N_ - n0);
    const int8_t* b = b_.data() + static_cast<size_t>(p) * kNr * kp_;
    for (int r = 0; r < rows; r += kMr) {
      ukernel_(std::min(kMr, rows - r), nr, kp_, a + static_cast<size_t>(r) * kp_, kp_, b,
               c + r * ldc + n0, ldc, ep, m0 + r, n0);
    }
  }
}

}  // namespace pyrt
