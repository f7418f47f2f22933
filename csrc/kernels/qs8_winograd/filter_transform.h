// U = 2G g 2G^T of one output panel (16 channels), from its 9 taps in U's
// element order, 2G = [[2,0,0],[1,1,1],[1,-1,1],[0,0,2]]: every element of
// the [cin_p / 2][16][2] blocks is transformed on its own, so the loops are
// vertical and vectorize for the flags of the file that includes this
// (the family's load-time packing; a path's per-run transform).
//
// Internal linkage on purpose: each including file compiles its own copy
// for its own target flags (one shared inline definition could be the
// AVX2 one called on a CPU without AVX2).
#pragma once

#include <cstddef>
#include <cstdint>

namespace pyrt {
namespace {

// Row I of U (positions I * 4 + l, l = 0..3, at u + l * p_stride) from the
// taps (9 runs of n int8, tap = y * 3 + x): 2G's row I along the filter
// rows, then 2G along its columns. |U| <= 9 * 128.
template <int I>
inline void Qs8WinogradTransformRow(const int8_t* __restrict taps, size_t n,
                                    int16_t* __restrict u, size_t p_stride) {
  // The 4 runs of u never overlap the taps or each other.
#pragma GCC ivdep
  for (size_t e = 0; e < n; ++e) {
    int16_t r[3];
    for (int x = 0; x < 3; ++x) {
      const int16_t w0 = taps[x * n + e], w1 = taps[(3 + x) * n + e], w2 = taps[(6 + x) * n + e];
      r[x] = static_cast<int16_t>(I == 0 ? 2 * w0 : I == 1 ? w0 + w1 + w2 : I == 2 ? w0 - w1 + w2
                                                                                  : 2 * w2);
    }
    u[e] = static_cast<int16_t>(2 * r[0]);
    u[p_stride + e] = static_cast<int16_t>(r[0] + r[1] + r[2]);
    u[2 * p_stride + e] = static_cast<int16_t>(r[0] - r[1] + r[2]);
    u[3 * p_stride + e] = static_cast<int16_t>(2 * r[2]);
  }
}

// All 16 positions: position p at u + p * p_stride.
inline void Qs8WinogradTransformPanel(const int8_t* taps, size_t n, int16_t* u, size_t p_stride) {
  Qs8WinogradTransformRow<0>(taps, n, u, p_stride);
  Qs8WinogradTransformRow<1>(taps, n, u + 4 * p_stride, p_stride);
  Qs8WinogradTransformRow<2>(taps, n, u + 8 * p_stride, p_stride);
  Qs8WinogradTransformRow<3>(taps, n, u + 12 * p_stride, p_stride);
}

}  // namespace
}  // namespace pyrt
