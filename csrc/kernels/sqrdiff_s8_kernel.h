// SQUARED_DIFFERENCE int8 rows on the interpreter's ISA path. The
// reference (kernels/reference/binary_elementwise.h SquaredDifferenceS8)
// rescales each input with its own fixed-point multiplier: a function of
// one int8 value, so the SIMD paths read it from a 256-entry int32 table
// built at Prepare by that same code, then square the difference and
// requantize 8 or 16 lanes at a time. Every path gives identical results.
#pragma once

#include <cstdint>

#include "kernels/isa.h"
#include "kernels/reference/binary_elementwise.h"
#include "kernels/reference/broadcast.h"

namespace pyrt {

// What the SIMD rows need: the rescaled inputs by uint8(value), and the
// output step (shift in [-31, 0]).
struct SquaredDifferenceTables {
  int32_t scaled1[256], scaled2[256];
  int32_t output_multiplier = 0;
  int output_shift = 0;
  int32_t output_offset = 0;
};

// out[i] = op(a[i * sa], b[i * sb]), sa and sb in {0, 1}.
using SquaredDifferenceRow = void (*)(const SquaredDifferenceTables& t, const int8_t* a, int64_t sa,
                                      const int8_t* b, int64_t sb, int8_t* out, int64_t n);

class SquaredDifferenceS8Kernel {
 public:
  void Init(Isa isa, const SquaredDifferenceParams& p, const BroadcastPlan& plan);
  void Run(const int8_t* a, const int8_t* b, int8_t* out) const;

 private:
  SquaredDifferenceParams params_;
  BroadcastPlan plan_;
  SquaredDifferenceTables tables_;
  SquaredDifferenceRow row_ = nullptr;  // nullptr: the reference per element
};

}  // namespace pyrt
