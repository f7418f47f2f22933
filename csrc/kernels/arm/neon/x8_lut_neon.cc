// Compiled with -march=armv8-a (see CMakeLists.txt): the neon path and up.
#include "kernels/arm/neon/x8_lut_neon.h"

#include <arm_neon.h>

namespace pyrt {

void X8LutNeon(const int8_t lut[256], int64_t n, const int8_t* in, int8_t* out) {
  const uint8_t* t = reinterpret_cast<const uint8_t*>(lut);
  const uint8x16x4_t q0 = vld1q_u8_x4(t), q1 = vld1q_u8_x4(t + 64), q2 = vld1q_u8_x4(t + 128),
                     q3 = vld1q_u8_x4(t + 192);
  const uint8x16_t step = vdupq_n_u8(64);
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    uint8x16_t x = vld1q_u8(reinterpret_cast<const uint8_t*>(in + i));
    uint8x16_t y = vqtbl4q_u8(q0, x);  // indices >= 64 give 0, replaced below
    x = vsubq_u8(x, step);             // wraps: earlier quarters fall out of range
    y = vqtbx4q_u8(y, q1, x);
    x = vsubq_u8(x, step);
    y = vqtbx4q_u8(y, q2, x);
    x = vsubq_u8(x, step);
    y = vqtbx4q_u8(y, q3, x);
    vst1q_u8(reinterpret_cast<uint8_t*>(out + i), y);
  }
  for (; i < n; ++i) out[i] = lut[static_cast<uint8_t>(in[i])];
}

}  // namespace pyrt
