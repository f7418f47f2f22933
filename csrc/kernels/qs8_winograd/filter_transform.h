// U = 2G g 2G^T of one output panel (16 channels), from its 9 taps in U's
// element order, 2G = [[2,0,0],[1,1,1],[1,-1,1],[0,0,2]]: every element of
// the [cin_p / 2][16][2] blocks is transformed on its own, so the loop is
// vertical and vectorizes for the flags of the file that includes it (the
// family's load-time packing; a path's per-run transform).
//
// Internal linkage on purpose: each including file compiles its own copy
// for its own target flags (one shared inline definition could be the
// AVX2 one called on a CPU without AVX2).
#pragma once

#include <cstddef>
#include <cstdint>

namespace pyrt {
namespace {

// taps: 9 runs of n int8 ([tap][n], tap = y * 3 + x); u: 16 runs of n
// int16, position p = i * 4 + l at u + p * p_stride. |U| <= 9 * 128.
inline void Qs8WinogradTransformPanel(const int8_t* __restrict taps, size_t n,
                                      int16_t* __restrict u, size_t p_stride) {
  // The 16 runs of u never overlap the taps or each other.
#pragma GCC ivdep
  for (size_t e = 0; e < n; ++e) {
    int16_t w[9];
    for (int t = 0; t < 9; ++t) w[t] = taps[t * n + e];
    int16_t r[4][3];  // 2G along the filter rows
    for (int x = 0; x < 3; ++x) {
      r[0][x] = static_cast<int16_t>(2 * w[x]);
      r[1][x] = static_cast<int16_t>(w[x] + w[3 + x] + w[6 + x]);
      r[2][x] = static_cast<int16_t>(w[x] - w[3 + x] + w[6 + x]);
      r[3][x] = static_cast<int16_t>(2 * w[6 + x]);
    }
    for (int i = 0; i < 4; ++i) {  // then along its columns
      int16_t* ui = u + static_cast<size_t>(i * 4) * p_stride + e;
      ui[0] = static_cast<int16_t>(2 * r[i][0]);
      ui[p_stride] = static_cast<int16_t>(r[i][0] + r[i][1] + r[i][2]);
      ui[2 * p_stride] = static_cast<int16_t>(r[i][0] - r[i][1] + r[i][2]);
      ui[3 * p_stride] = static_cast<int16_t>(2 * r[i][2]);
    }
  }
}

}  // namespace
}  // namespace pyrt
