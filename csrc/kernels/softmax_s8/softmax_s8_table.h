// int8 SOFTMAX with the reference's fixed-point exp tabulated at Prepare.
//
// The reference (kernels/reference/softmax_s8.cc) computes, per element,
// exp(beta * s_in * (x - max)) with gemmlowp's fixed-point exp: a function of
// the int8 difference d = x - max in [-255, 0] only. The table holds that
// value and its Q12 rescaling for every d (0 where d < diff_min, which the
// reference skips: a zero adds nothing to the sum and maps to -128 exactly as
// the skipped branch does), so each row costs one lookup per element for the
// sum and one fixed-point multiply per element for the output; bit-exact
// with the reference by construction (tests/test_kernels_softmax.py).
#pragma once

#include <cstdint>

#include "kernels/isa.h"
#include "kernels/reference/softmax_s8.h"

namespace pyrt {

struct SoftmaxS8Table {
  int32_t exp[256] = {};      // [-d]: SoftmaxS8ScaledExp(p, d), Q0
  int32_t exp_q12[256] = {};  // [-d]: the same rescaled to the Q12 sum format
};

SoftmaxS8Table BuildSoftmaxS8Table(const SoftmaxS8Params& p);

// rows x depth values, row-major; same results as SoftmaxS8.
void SoftmaxS8Tabulated(const SoftmaxS8Table& t, int64_t rows, int depth, const int8_t* input,
                        int8_t* output);

// SoftmaxS8Tabulated on `isa`'s path (SIMD twins on AVX2 / AVX-512: table
// lookups by gather, the same results).
using SoftmaxS8TabulatedFn = void (*)(const SoftmaxS8Table& t, int64_t rows, int depth,
                                      const int8_t* input, int8_t* output);
SoftmaxS8TabulatedFn SoftmaxS8TabulatedFor(Isa isa);

}  // namespace pyrt
