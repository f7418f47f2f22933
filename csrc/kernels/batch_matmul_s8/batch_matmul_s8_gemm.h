// int8 BATCH_MATMUL on the int16 GEMM microkernels (kernels/qs8_gemm, the
// AVX2 6x16c2 vpmaddwd tile with its exact gemmlowp epilogue) when both
// operands may be activations with any zero points.
//
// Per output matrix, lhs rows are packed as int16 (l - zl) and rhs columns
// as the raw int8 values r, so the kernel's sum is sum (l - zl) * r; the
// missing -zr * sum_k (l - zl) (a per-row term no per-column bias can hold)
// rides in extra k entries: A gets -sum(l - zl) over each chunk of 128 k
// (|.| <= 255 * 128 fits int16), B gets zr. The total equals the
// reference's sum of (l - zl) * (r - zr) modulo 2^32, which is all its int32
// arithmetic keeps; requantization is the GEMM epilogue (MultiplyByQuantized
// Multiplier, + zero point, clamp), the reference's own steps.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/isa.h"
#include "kernels/qs8_gemm/ukernel.h"
#include "kernels/reference/batch_matmul.h"

namespace pyrt {

class BatchMatMulS8Gemm {
 public:
  // False (and unusable) when `isa` has no int16 GEMM microkernel.
  bool Init(Isa isa, const BatchMatMulGeometry& g, const BatchMatMulQuant& q);
  size_t ScratchBytes() const;
  void Run(const int8_t* lhs, const int8_t* rhs, int8_t* output, uint8_t* scratch) const;

 private:
  static constexpr int kChunk = 128;  // k values per row-sum entry
  void PackLhs(const int8_t* l, int16_t* a) const;
  void PackRhs(const int8_t* r, int8_t* b) const;

  const Qs8GemmConfig* config_ = nullptr;
  BatchMatMulGeometry g_{};
  BatchMatMulQuant q_{};
  int extras_ = 0, kp_ = 0, panels_ = 0;
  std::vector<int32_t> requant_;  // one panel's requantization (packed_requant.h)
  Qs8GemmEpilogue epilogue_;
};

}  // namespace pyrt
