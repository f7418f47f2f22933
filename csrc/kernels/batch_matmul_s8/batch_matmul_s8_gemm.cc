#include "kernels/batch_matmul_s8/batch_matmul_s8_gemm.h"

#include <algorithm>

#include "kernels/packed_requant.h"
#include "kernels/qs8_gemm/qs8_gemm.h"

namespace pyrt {
namespace {

size_t Align64(size_t n) { return (n + 63) / 64 * 64; }

}  // namespace

bool BatchMatMulS8Gemm::Init(Isa isa, const BatchMatMulGeometry& g, const BatchMatMulQuant& q) {
  config_ = nullptr;
  // The int16 tile is the AVX2 one; paths above it run it too.
  if (!IsaAtLeast(isa, Isa::kAvx2) || IsaArch(isa) != 1) return false;
  const Qs8GemmConfig* config = Qs8GemmConfigFor(Isa::kAvx2);
  if (!config || config->input != Qs8GemmInput::kS16 || !config->gemmlowp) return false;
  config_ = config;
  g_ = g;
  q_ = q;
  extras_ = q.rhs_zero_point == 0 ? 0 : (g.depth + kChunk - 1) / kChunk;
  const int kr = config_->kr, nr = config_->nr;
  kp_ = (g.depth + extras_ + kr - 1) / kr * kr;
  panels_ = (g.cols + nr - 1) / nr;
  requant_.assign(GemmlowpRequantBytes(nr) / 4, 0);
  epilogue_ = EpilogueScalars(q.output_zero_point, -128, 127);
  for (int j = 0; j < nr; ++j)
    WriteGemmlowpRequant(requant_.data(), nr, j, 0, q.multiplier, q.shift, epilogue_);
  epilogue_ = RequantView(epilogue_, reinterpret_cast<const int8_t*>(requant_.data()), nr);
  return true;
}

size_t BatchMatMulS8Gemm::ScratchBytes() const {
  if (!config_) return 0;
  return Align64(sizeof(int16_t) * static_cast<size_t>(g_.rows) * kp_) +
         static_cast<size_t>(panels_) * kp_ * config_->nr;
}

// Rows of kp int16: l - zl, then the chunks' -sum(l - zl), then zeros.
void BatchMatMulS8Gemm::PackLhs(const int8_t* l, int16_t* a) const {
  const int M = g_.rows, K = g_.depth;
  const int16_t zl = static_cast<int16_t>(q_.lhs_zero_point);
  for (int m = 0; m < M; ++m) {
    int16_t* row = a + static_cast<size_t>(m) * kp_;
    for (int k = 0; k < K; ++k)
      row[k] = static_cast<int16_t>((g_.adj_x ? l[static_cast<size_t>(k) * M + m] : l[static_cast<size_t>(m) * K + k]) - zl);
    for (int j = 0; j < extras_; ++j) {
      int32_t sum = 0;
      for (int k = j * kChunk; k < std::min(K, (j + 1) * kChunk); ++k) sum += row[k];
      row[K + j] = static_cast<int16_t>(-sum);
    }
    std::fill(row + K + extras_, row + kp_, int16_t{0});
  }
}

// Panels of nr columns, [kp / kr][nr][kr]: r, then zr for the extra k
// entries, zeros past them and in padding columns.
void BatchMatMulS8Gemm::PackRhs(const int8_t* r, int8_t* b) const {
  const int N = g_.cols, K = g_.depth, nr = config_->nr, kr = config_->kr;
  const int8_t zr = static_cast<int8_t>(q_.rhs_zero_point);
  for (int p = 0; p < panels_; ++p) {
    int8_t* panel = b + static_cast<size_t>(p) * kp_ * nr;
    for (int j = 0; j < nr; ++j) {
      const int n = p * nr + j;
      for (int k = 0; k < kp_; ++k) {
        int8_t v = 0;
        if (n < N) {
          if (k < K) {
            v = g_.adj_y ? r[static_cast<size_t>(n) * K + k] : r[static_cast<size_t>(k) * N + n];
          } else if (k < K + extras_) {
            v = zr;
          }
        }
        panel[(k / kr) * nr * kr + j * kr + k % kr] = v;
      }
    }
  }
}

void BatchMatMulS8Gemm::Run(const int8_t* lhs, const int8_t* rhs, int8_t* output,
                            uint8_t* scratch) const {
  int16_t* a = reinterpret_cast<int16_t*>(scratch);
  int8_t* b = reinterpret_cast<int8_t*>(scratch + Align64(sizeof(int16_t) * static_cast<size_t>(g_.rows) * kp_));
  const int M = g_.rows, N = g_.cols, mr = config_->mr, nr = config_->nr;
  const Qs8GemmUkernel ukernel = config_->gemmlowp;
  const int64_t out_size = int64_t{M} * N;
  for (int b0 = 0; b0 < g_.batch[0]; ++b0)
    for (int b1 = 0; b1 < g_.batch[1]; ++b1)
      for (int b2 = 0; b2 < g_.batch[2]; ++b2, output += out_size) {
        PackLhs(lhs + b0 * g_.lhs_stride[0] + b1 * g_.lhs_stride[1] + b2 * g_.lhs_stride[2], a);
        PackRhs(rhs + b0 * g_.rhs_stride[0] + b1 * g_.rhs_stride[1] + b2 * g_.rhs_stride[2], b);
        for (int p = 0; p < panels_; ++p) {
          const int n0 = p * nr;
          const int8_t* panel = b + static_cast<size_t>(p) * kp_ * nr;
          for (int m = 0; m < M; m += mr)
            ukernel(std::min(mr, M - m), std::min(nr, N - n0), kp_, a + static_cast<size_t>(m) * kp_, kp_,
                    panel, output + static_cast<size_t>(m) * N + n0, N, epilogue_);
        }
      }
}

}  // namespace pyrt
