// 16x8 LOGISTIC and TANH (int16 in and out) on the interpreter's ISA path:
// the reference rows (kernels/reference/logistic_s16.h) or their AVX2 /
// AVX-512 twins; large inputs are split over the thread pool. Every
// path and split gives identical results.
#pragma once

#include <cstdint>

#include "kernels/isa.h"
#include "kernels/reference/logistic_s16.h"

namespace pyrt {

class ThreadPool;

class SigmoidS16Kernel {
 public:
  void Init(Isa isa, const LogisticS16Params& p, bool tanh);
  void Run(int64_t n, const int16_t* input, int16_t* output, ThreadPool* pool) const;
  // True when a SIMD path's rows run (for the tests).
  bool simd() const { return simd_; }

 private:
  using RowFn = void (*)(const LogisticS16Params&, const int16_t*, int16_t*, int64_t);
  LogisticS16Params p_;
  RowFn row_ = nullptr;
  bool simd_ = false;
};

}  // namespace pyrt
