// Elementwise int8 -> int8 through a 256-entry table (LOGISTIC, HARD_SWISH
// and fused chains of them) on the interpreter's ISA path; large inputs are
// split over the thread pool. Every path and split gives identical results.
#pragma once

#include <cstdint>

#include "kernels/isa.h"

namespace pyrt {

class ThreadPool;

// One entry of the family's dispatch table: the path's table layout
// (written once by pack from the plain table) and its lookup loop.
struct X8LutConfig {
  void (*pack)(const int8_t lut[256], uint8_t packed[256]);
  void (*run)(const uint8_t packed[256], int64_t n, const int8_t* in, int8_t* out);
};

// The best lookup `isa` can run (with VBMI when the CPU has it on the
// avx512vnni path), or nullptr (reference loop).
const X8LutConfig* X8LutConfigFor(Isa isa);

class LutS8Kernel {
 public:
  // lut[uint8(v)] is the output for input v.
  void Init(Isa isa, const int8_t lut[256]);
  const int8_t* lut() const { return lut_; }

  void Run(int64_t n, const int8_t* input, int8_t* output, ThreadPool* pool) const;

 private:
  const X8LutConfig* config_ = nullptr;
  int8_t lut_[256] = {};
  uint8_t packed_[256] = {};  // config_'s layout
};

}  // namespace pyrt
