// Quantized 8-bit ADD / SUB / MUL with broadcasting, bit-exact with TFLite's
// reference kernels (integer_ops::Add/Mul, reference_ops::Sub and their 6-D
// broadcast variants). Templated on int8_t / uint8_t: the formulas are the
// same, only the storage type differs.
#pragma once

#include <cstdint>


namespace pyrt {

// ADD and SUB: both inputs are rescaled to a common scale with 20 bits of
// headroom, added (or subtracted), then rescaled to the output.
struct AddSubParams {
  bool subtract = false;
  int left_shift = 20;
  int32_t input1_offset = 0, input2_offset = 0;  // -zero_point
  int32_t input1_multiplier = 0, input2_multiplier = 0;
  int input1_shift = 0, input2_shift = 0;  // <= 0
  int32_t output_multiplier = 0;
  int output_shift = 0;  // <= 0
  int32_t output_offset = 0;  // +zero_point
  int32_t act_min = -128, act_max = 127;
};

// MUL: the product of the offset inputs, rescaled once.
struct MulParams {
  int32_t input1_offset = 0, input2_offset = 0;  // -zero_point
  int32_t output_multiplier = 0;
  int output_shift = 0;  // any sign
  int32_t output_offset = 0;
  int32_t act_min = -128, act_max = 127;
};

// One row of a broadcast plan: out[i] = op(a[i * sa], b[i * sb]) for i < n,
// with sa, sb in {0, 1} (0: that operand is one broadcast value).
template <typename T>
void AddSubRowQ8(const AddSubParams& p, const T* a, int64_t sa, const T* b, int64_t sb, T* out,
                 int64_t n);

// ADD/SUB's per-input step as tables over the 256 int8 values (indexed by
// the value as uint8): t1[x] is input 1's rescaled value, t2[x] input 2's,
// negated for SUB, so raw = t1[a] + t2[b] for every pair. Requires the int8
// left shift (20).
void AddSubInputTables(const AddSubParams& p, int32_t t1[256], int32_t t2[256]);

template <typename T>
void MulRowQ8(const MulParams& p, const T* a, int64_t sa, const T* b, int64_t sb, T* out,
              int64_t n);

}  // namespace pyrt
