// Compiled with -march=armv8-a (see CMakeLists.txt): the neon path and up.
#include "kernels/arm/neon/reduce_rows_s8_neon.h"

#include <arm_neon.h>

#include <algorithm>

namespace pyrt {

// 256 int8 values sum to [-32768, 32512]: an int16 lane holds them exactly.
constexpr int64_t kRowsPerInt16Block = 256;

void AccumulateRowsS8Neon(const int8_t* in, int64_t rows, int64_t n, int32_t* sums) {
  int64_t c = 0;
  for (; c + 16 <= n; c += 16) {
    int32x4_t acc[4];
    for (int v = 0; v < 4; ++v) acc[v] = vld1q_s32(sums + c + 4 * v);
    const int8_t* p = in + c;
    for (int64_t r0 = 0; r0 < rows; r0 += kRowsPerInt16Block) {
      const int64_t r1 = std::min(rows, r0 + kRowsPerInt16Block);
      int16x8_t lo = vdupq_n_s16(0), hi = vdupq_n_s16(0);
      for (int64_t r = r0; r < r1; ++r, p += n) {
        const int8x16_t x = vld1q_s8(p);
        lo = vaddw_s8(lo, vget_low_s8(x));
        hi = vaddw_high_s8(hi, x);
      }
      // Wrapping int32 adds, as the reference's.
      acc[0] = vaddw_s16(acc[0], vget_low_s16(lo));
      acc[1] = vaddw_high_s16(acc[1], lo);
      acc[2] = vaddw_s16(acc[2], vget_low_s16(hi));
      acc[3] = vaddw_high_s16(acc[3], hi);
    }
    for (int v = 0; v < 4; ++v) vst1q_s32(sums + c + 4 * v, acc[v]);
  }
  for (; c < n; ++c) {  // the last n % 16 columns
    uint32_t s = static_cast<uint32_t>(sums[c]);
    for (int64_t r = 0; r < rows; ++r) s += static_cast<uint32_t>(in[r * n + c]);
    sums[c] = static_cast<int32_t>(s);
  }
}

}  // namespace pyrt
