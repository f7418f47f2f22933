#include "kernels/qs8_gemm.h"

#include <cstring>

#if defined(__x86_64__)
#include "kernels/x86/avx2/qs8_gemm_6x16c2_avx2.h"
#define PYRT_HAVE_AVX2_KERNELS 1
#endif

namespace pyrt {
namespace {

// Target size of one A block (int16 rows): it stays in L2 while every
// column panel streams over it.
constexpr size_t kBlockBytes = 128 * 1024;
constexpr int kMaxBlockRows = 96;

template <typename T>
std::vector<T> Padded(const T* values, int n, int padded_n) {
  std::vector<T> v(padded_n, T{});
  if (values) std::copy(values, values + n, v.begin());
  return v;
}

}  // namespace

#ifdef PYRT_HAVE_AVX2_KERNELS
bool PackedQs8Gemm::Supported(Isa isa) { return IsaAtLeast(isa, Isa::kAvx2); }
#else
bool PackedQs8Gemm::Supported(Isa) { return false; }
#endif

void PaddedEpilogue::Init(Qs8Requant requant, int n, int padded_n, const Qs8RequantParams& p) {
  bias_ = Padded(p.bias, n, padded_n);
  multiplier_.clear();
  left_shift_.clear();
  right_shift_.clear();
  rounding_mask_.clear();
  scale_.clear();
  if (requant == Qs8Requant::kGemmlowp) {
    multiplier_ = Padded(p.multiplier, n, padded_n);
    left_shift_.assign(padded_n, 0);
    right_shift_.assign(padded_n, 0);
    rounding_mask_.assign(padded_n, 0);
    for (int c = 0; c < n; ++c) {
      left_shift_[c] = std::max(p.shift[c], 0);
      right_shift_[c] = std::max(-p.shift[c], 0);
      rounding_mask_[c] = static_cast<int32_t>((int64_t{1} << right_shift_[c]) - 1);
    }
  } else {
    scale_ = Padded(p.scale, n, padded_n);
  }
  output_zero_point_ = p.output_zero_point;
  act_min_ = p.act_min;
  act_max_ = p.act_max;
}

Qs8GemmEpilogue PaddedEpilogue::Get() const {
  Qs8GemmEpilogue ep;
  ep.bias = bias_.data();
  ep.multiplier = multiplier_.data();
  ep.left_shift = left_shift_.data();
  ep.right_shift = right_shift_.data();
  ep.rounding_mask = rounding_mask_.data();
  ep.scale = scale_.data();
  ep.output_zero_point = output_zero_point_;
  ep.act_min = act_min_;
  ep.act_max = act_max_;
  return ep;
}

void PackedQs8Gemm::Init(Isa isa, Qs8Requant requant, int N, int K, const int8_t* B,
                         const Qs8RequantParams& p) {
#ifdef PYRT_HAVE_AVX2_KERNELS
  // Only AVX2 so far; the caller checked Supported(isa).
  mr_ = kQs8GemmAvx2Mr;
  nr_ = kQs8GemmAvx2Nr;
  ukernel_ = requant == Qs8Requant::kGemmlowp ? Qs8Gemm6x16c2GemmlowpAvx2 : Qs8Gemm6x16c2Fp64Avx2;
#endif
  N_ = N;
  kp_ = (K + 1) / 2 * 2;
  const int panels = (N + nr_ - 1) / nr_, padded_n = panels * nr_;
  const size_t row_bytes = static_cast<size_t>(kp_) * sizeof(int16_t);
  block_rows_ = static_cast<int>(std::min<size_t>(kMaxBlockRows, kBlockBytes / row_bytes));
  block_rows_ = std::max(mr_, block_rows_ / mr_ * mr_);

  // Locals, not members, in the loop: stores through int8_t* may alias
  // *this, which made the compiler reload per weight. Each source row is
  // read in order and its k pairs stored as 16-bit units, nr pairs apart;
  // one panel (kp * nr bytes) stays in L1 while it is filled.
  const int nr = nr_, kp = kp_;
  b_.reset(new int8_t[static_cast<size_t>(padded_n) * kp]);
  int8_t* dst = b_.get();
  for (int n0 = 0; n0 < padded_n; n0 += nr, dst += static_cast<size_t>(nr) * kp) {
    for (int j = 0; j < nr; ++j) {
      int8_t* column = dst + 2 * j;
      if (n0 + j >= N) {  // padding columns are zero
        for (int k = 0; k < kp; k += 2) column[static_cast<size_t>(k) * nr] = column[static_cast<size_t>(k) * nr + 1] = 0;
        continue;
      }
      const int8_t* src = B + static_cast<size_t>(n0 + j) * K;
      int k = 0;
      for (; k + 2 <= K; k += 2) std::memcpy(column + static_cast<size_t>(k) * nr, src + k, 2);
      if (k < K) {  // odd K: the last pair is (w, 0)
        column[static_cast<size_t>(k) * nr] = src[k];
        column[static_cast<size_t>(k) * nr + 1] = 0;
      }
    }
  }

  epilogue_.Init(requant, N, padded_n, p);
}

void PackedQs8Gemm::RunPanels(const Qs8GemmEpilogue& ep, int rows, const int16_t* a, int p0,
                              int p1, int8_t* c, size_t ldc) const {
  for (int p = p0; p < p1; ++p) {
    const int n0 = p * nr_, nr = std::min(nr_, N_ - n0);
    const int8_t* b = b_.get() + static_cast<size_t>(p) * nr_ * kp_;
    for (int r = 0; r < rows; r += mr_) {
      ukernel_(std::min(mr_, rows - r), nr, kp_, a + static_cast<size_t>(r) * kp_, kp_, b,
               c + r * ldc + n0, ldc, ep, n0);
    }
  }
}

}  // namespace pyrt
