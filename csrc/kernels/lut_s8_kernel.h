// Elementwise int8 -> int8 through a 256-entry table (LOGISTIC, HARD_SWISH
// and fused chains of them) on the interpreter's ISA path; large inputs are
// split over the thread pool. Every path and split gives identical results.
#pragma once

#include <cstdint>

#include "kernels/isa.h"

namespace pyrt {

class ThreadPool;

class LutS8Kernel {
 public:
  // lut[uint8(v)] is the output for input v.
  void Init(Isa isa, const int8_t lut[256]);
  const int8_t* lut() const { return lut_; }

  void Run(int64_t n, const int8_t* input, int8_t* output, ThreadPool* pool) const;

 private:
  bool simd_ = false;
  int8_t lut_[256] = {};
  uint8_t packed_[256] = {};  // SIMD layout
};

}  // namespace pyrt
