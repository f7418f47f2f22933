#include "kernels/hybrid_gemm.h"

#include <algorithm>
#include <cstring>

namespace pyrt {
namespace {

constexpr size_t kBlockBytes = 128 * 1024;  // one A block stays in L2
constexpr int kMaxBlockRows = 96;
constexpr int kPortableNr = 16;

template <typename T, typename Ukernel>
void RunPanelsWith(Ukernel ukernel, int mr_max, int nr_max, int N, int kp, const int8_t* packed,
                   const HybridGemmEpilogue& ep, int m0, int rows, const T* a, int p0, int p1,
                   float* c, size_t ldc) {
  // A last tile of 1 or 2 rows (7 x 7 maps: 49 = 8 x 6 + 1) runs the
  // microkernel at a fraction of its rate: the last mr_max + rest rows go
  // as two tiles of about half instead.
  const int rest = rows % mr_max;
  const int split = rows > mr_max && rest > 0 && 2 * rest < mr_max ? rows - mr_max - rest : rows;
  for (int p = p0; p < p1; ++p) {
    const int n0 = p * nr_max, nr = std::min(nr_max, N - n0);
    const int8_t* b = packed + static_cast<size_t>(p) * nr_max * kp;
    for (int r = 0; r < rows;) {
      int mr = std::min(mr_max, rows - r);
      if (r == split) mr = (mr_max + rest + 1) / 2;
      ukernel(mr, nr, kp, a + static_cast<size_t>(r) * kp, kp, b, c + r * ldc + n0, ldc, ep,
              m0 + r, n0);
      r += mr;
    }
  }
}

}  // namespace

void HybridGemmPortable(int mr, int nr, int kp, const int16_t* a, size_t a_stride,
                        const int8_t* b, float* c, size_t c_stride, const HybridGemmEpilogue& ep,
                        int m0, int n0) {
  for (int r = 0; r < mr; ++r) {
    const int16_t* row = a + r * a_stride;
    const float row_scale = ep.batch_scale[(m0 + r) / ep.rows_per_batch];
    for (int j = 0; j < nr; ++j) {
      // Wrapping int32 sum (as the SIMD paths); exact for real sizes.
      uint32_t acc = 0;
      for (int k = 0; k < kp; k += 2) {
        const int8_t* w = b + (k / 2) * kPortableNr * 2 + j * 2;
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
  config_ = &HybridGemmConfigFor(isa);
  mr_ = config_->mr;
  nr_ = config_->nr;
  N_ = N;
  const int kr = config_->kr;
  kp_ = (K + kr - 1) / kr * kr;
  const int panels = (N + nr_ - 1) / nr_, padded_n = panels * nr_;
  const size_t row_bytes = static_cast<size_t>(kp_) * AElementBytes();
  block_rows_ = static_cast<int>(std::min<size_t>(kMaxBlockRows, kBlockBytes / row_bytes));
  block_rows_ = std::max(mr_, block_rows_ / mr_ * mr_);

  // [panels][kp / kr][nr][kr], zero past N and K.
  const int kp = kp_, nr = nr_;
  b_.assign(static_cast<size_t>(padded_n) * kp, 0);
  col_sum_.assign(padded_n, 0);
  for (int n = 0; n < N; ++n) {
    int8_t* dst = b_.data() + static_cast<size_t>(n / nr) * nr * kp + (n % nr) * kr;
    const int8_t* src = B + static_cast<size_t>(n) * K;
    int32_t sum = 0;
    for (int k = 0; k < K; ++k) {
      dst[static_cast<size_t>(k / kr) * nr * kr + k % kr] = src[k];
      sum += src[k];  // |sum| < 2^27: K < 2^20 (the ops' limit)
    }
    col_sum_[n] = sum;
  }
  col_scale_.assign(padded_n, 0.f);
  std::copy(col_scale, col_scale + N, col_scale_.begin());
  bias_.assign(padded_n, 0.f);
  if (bias) std::copy(bias, bias + N, bias_.begin());
  act_min_ = act_min;
  act_max_ = act_max;
}

HybridGemmEpilogue PackedHybridGemm::Epilogue(const float* batch_scale,
                                              const int32_t* batch_zero_point,
                                              int rows_per_batch) const {
  HybridGemmEpilogue ep;
  ep.batch_scale = batch_scale;
  ep.batch_zero_point = batch_zero_point;
  ep.rows_per_batch = rows_per_batch;
  ep.col_scale = col_scale_.data();
  ep.bias = bias_.data();
  ep.col_sum = col_sum_.data();
  ep.act_min = act_min_;
  ep.act_max = act_max_;
  return ep;
}

void PackedHybridGemm::RunPacked(int M, const int16_t* a, const float* batch_scale,
                                 const int32_t* batch_zero_point, int rows_per_batch, float* C,
                                 size_t ldc, ThreadPool* pool) const {
  if (M <= 0 || config_->input != HybridGemmInput::kS16) return;
  const auto rows = [&](int m0, int, int16_t*) { return a + static_cast<size_t>(m0) * kp_; };
  RunAs<int16_t>(M, rows, Epilogue(batch_scale, batch_zero_point, rows_per_batch), C, ldc,
                 nullptr, pool);
}

void PackedHybridGemm::RunPanels(const HybridGemmEpilogue& ep, int m0, int rows,
                                 const int16_t* a, int p0, int p1, float* c, size_t ldc) const {
  RunPanelsWith(config_->s16, mr_, nr_, N_, kp_, b_.data(), ep, m0, rows, a, p0, p1, c, ldc);
}

void PackedHybridGemm::RunPanels(const HybridGemmEpilogue& ep, int m0, int rows,
                                 const uint8_t* a, int p0, int p1, float* c, size_t ldc) const {
  RunPanelsWith(config_->u8, mr_, nr_, N_, kp_, b_.data(), ep, m0, rows, a, p0, p1, c, ldc);
}

void PackedHybridGemm::RunPanels(const HybridGemmEpilogue& ep, int m0, int rows,
                                 const int8_t* a, int p0, int p1, float* c, size_t ldc) const {
  RunPanelsWith(config_->s8, mr_, nr_, N_, kp_, b_.data(), ep, m0, rows, a, p0, p1, c, ldc);
}

}  // namespace pyrt
