// Compiled with -mavx2 -mfma only; called only when the CPU has AVX2.
#include "kernels/qs8_winograd/avx2/qs8_winograd_avx2.h"

#include <immintrin.h>

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "kernels/packed_requant.h"
#include "kernels/qs8_winograd/filter_transform.h"
#include "kernels/x86/avx2/gemm_6x16c2_accumulate_avx2.h"
#include "kernels/x86/avx2/requant_avx2.h"

namespace pyrt {
namespace {

// B^T x for 4 values along one direction (F(2x2, 3x3)).
inline void InputRows(const __m256i d[4], __m256i t[4]) {
  t[0] = _mm256_sub_epi16(d[0], d[2]);
  t[1] = _mm256_add_epi16(d[1], d[2]);
  t[2] = _mm256_sub_epi16(d[2], d[1]);
  t[3] = _mm256_sub_epi16(d[1], d[3]);
}

// A^T x for 4 values along one direction.
inline void OutputRows(const __m256i m[4], __m256i y[2]) {
  y[0] = _mm256_add_epi32(_mm256_add_epi32(m[0], m[1]), m[2]);
  y[1] = _mm256_sub_epi32(_mm256_sub_epi32(m[1], m[2]), m[3]);
}

struct TileOrigin {
  int b, oy, ox;
};

inline TileOrigin OriginOf(const ConvGeometry& g, int tile) {
  const int tw = (g.out_w + 1) / 2, th = (g.out_h + 1) / 2;
  return {tile / (th * tw), (tile / tw) % th * 2, tile % tw * 2};
}

// V[p][t][c] for tiles [tile0, tile0 + count) at v + p * p_stride + t *
// cin_p: each tile's 4x4 input window (the zero point outside the image),
// transformed.
void TransformInputs(const Qs8WinogradLayer& L, const int8_t* input, int tile0, int count,
                     int16_t* v, size_t p_stride) {
  const ConvGeometry& g = L.g;
  const int C = g.in_c, cin_p = L.cin_p;
  const __m256i zp = _mm256_set1_epi16(L.input_zero_point);
  for (int t = 0; t < count; ++t) {
    const TileOrigin o = OriginOf(g, tile0 + t);
    const int8_t* image = input + static_cast<size_t>(o.b) * g.in_h * g.in_w * C;
    const int iy0 = o.oy - g.pad_top, ix0 = o.ox - g.pad_left;
    const int8_t* px[4][4];
    for (int r = 0; r < 4; ++r) {
      for (int s = 0; s < 4; ++s) {
        const int iy = iy0 + r, ix = ix0 + s;
        px[r][s] = iy >= 0 && iy < g.in_h && ix >= 0 && ix < g.in_w
                       ? image + (static_cast<size_t>(iy) * g.in_w + ix) * C
                       : nullptr;
      }
    }
    int16_t* vt = v + static_cast<size_t>(t) * cin_p;
    for (int c = 0; c < cin_p; c += 16) {
      const int n = std::min(16, C - c);  // real channels in this group
      __m256i d[4][4];
      for (int r = 0; r < 4; ++r) {
        for (int s = 0; s < 4; ++s) {
          if (!px[r][s]) {
            d[r][s] = zp;
          } else if (n == 16) {
            d[r][s] = _mm256_cvtepi8_epi16(
                _mm_loadu_si128(reinterpret_cast<const __m128i*>(px[r][s] + c)));
          } else {
            alignas(16) int8_t tmp[16] = {};
            std::memcpy(tmp, px[r][s] + c, n);
            d[r][s] = _mm256_cvtepi8_epi16(_mm_load_si128(reinterpret_cast<const __m128i*>(tmp)));
          }
        }
      }
      __m256i rows[4][4];  // B^T along r, per column s
      for (int s = 0; s < 4; ++s) {
        const __m256i col[4] = {d[0][s], d[1][s], d[2][s], d[3][s]};
        __m256i t4[4];
        InputRows(col, t4);
        for (int i = 0; i < 4; ++i) rows[i][s] = t4[i];
      }
      const int lanes = std::min(16, cin_p - c);
      for (int i = 0; i < 4; ++i) {
        __m256i out[4];
        InputRows(rows[i], out);  // B along s
        for (int l = 0; l < 4; ++l) {
          int16_t* dst = vt + (i * 4 + l) * p_stride + c;
          if (lanes == 16) {
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst), out[l]);
          } else {
            alignas(32) int16_t tmp[16];
            _mm256_store_si256(reinterpret_cast<__m256i*>(tmp), out[l]);
            std::memcpy(dst, tmp, lanes * sizeof(int16_t));
          }
        }
      }
    }
  }
}

// kRows rows of A (cin_p int16 each, consecutive) times one panel of U
// (cin_p x 16) into rows of M, m_stride int32 apart.
template <int kRows>
void PanelRows(int cin_p, const int16_t* a, const int16_t* u, int32_t* m, size_t m_stride) {
  __m256i sums[kRows][2];
  AccumulateRows<kRows, 2, int16_t>(cin_p, a, cin_p, u, sums);
  for (int r = 0; r < kRows; ++r) {
    __m256i* dst = reinterpret_cast<__m256i*>(m + r * m_stride);
    _mm256_storeu_si256(dst, sums[r][0]);
    _mm256_storeu_si256(dst + 1, sums[r][1]);
  }
}

// fn(std::integral_constant<int, R>{}, t) over rows [0, count): 6 rows at a
// time (the 6x16 tile), then the rest.
template <typename Fn>
void InRowGroups(int count, Fn&& fn) {
  int t = 0;
  for (; t + 6 <= count; t += 6) fn(std::integral_constant<int, 6>{}, t);
  switch (count - t) {
    case 1: fn(std::integral_constant<int, 1>{}, t); break;
    case 2: fn(std::integral_constant<int, 2>{}, t); break;
    case 3: fn(std::integral_constant<int, 3>{}, t); break;
    case 4: fn(std::integral_constant<int, 4>{}, t); break;
    case 5: fn(std::integral_constant<int, 5>{}, t); break;
    default: break;
  }
}

// M[p] = V[p] (count x cin_p) times U[p] (cin_p x cout_p), int32.
void Gemms(const Qs8WinogradLayer& L, int count, const int16_t* v, int32_t* m) {
  const int panels = L.cout_p / 16;
  const size_t v_p = static_cast<size_t>(kQs8WinogradTiles) * L.cin_p;
  const size_t m_p = static_cast<size_t>(kQs8WinogradTiles) * L.cout_p;
  for (int p = 0; p < 16; ++p) {
    const int16_t* u = L.u.get() + static_cast<size_t>(p) * panels * L.cin_p * 16;
    const int16_t* a = v + p * v_p;
    int32_t* mp = m + p * m_p;
    InRowGroups(count, [&](auto rows, int t) {
      for (int q = 0; q < panels; ++q) {
        PanelRows<decltype(rows)::value>(L.cin_p, a + t * L.cin_p,
                                         u + static_cast<size_t>(q) * L.cin_p * 16,
                                         mp + t * L.cout_p + q * 16, L.cout_p);
      }
    });
  }
}

// Outputs of tiles [tile0, tile0 + count), channels [n0, n1): A^T M A, >> 2
// (exact: see the family header), requantized, stored where inside the
// output. M of (position p, tile t, channel n) at m[p * p_stride + t *
// t_stride + n - n0].
template <typename Requant>
void TransformOutputs(const Qs8WinogradLayer& L, const Qs8GemmEpilogue& ep, int tile0, int count,
                      int n0, int n1, const int32_t* m, size_t t_stride, size_t p_stride,
                      int8_t* output) {
  const ConvGeometry& g = L.g;
  const int N = g.out_c;
  for (int n = n0; n < n1; n += 8) {
    const Requant rq(ep, n);
    const int nr = std::min(8, n1 - n);
    for (int t = 0; t < count; ++t) {
      const TileOrigin o = OriginOf(g, tile0 + t);
      const int32_t* mt = m + static_cast<size_t>(t) * t_stride + (n - n0);
      __m256i cols[2][4];  // A^T along i, per column l
      for (int l = 0; l < 4; ++l) {
        const __m256i col[4] = {
            _mm256_loadu_si256(reinterpret_cast<const __m256i*>(mt + (0 * 4 + l) * p_stride)),
            _mm256_loadu_si256(reinterpret_cast<const __m256i*>(mt + (1 * 4 + l) * p_stride)),
            _mm256_loadu_si256(reinterpret_cast<const __m256i*>(mt + (2 * 4 + l) * p_stride)),
            _mm256_loadu_si256(reinterpret_cast<const __m256i*>(mt + (3 * 4 + l) * p_stride))};
        __m256i y[2];
        OutputRows(col, y);
        cols[0][l] = y[0];
        cols[1][l] = y[1];
      }
      for (int i = 0; i < 2; ++i) {
        const int oy = o.oy + i;
        if (oy >= g.out_h) break;
        __m256i y[2];
        OutputRows(cols[i], y);  // A along l
        for (int j = 0; j < 2; ++j) {
          const int ox = o.ox + j;
          if (ox >= g.out_w) break;
          const __m256i acc = _mm256_srai_epi32(y[j], 2);
          int8_t* dst = output + ((static_cast<size_t>(o.b) * g.out_h + oy) * g.out_w + ox) * N + n;
          Store8(rq(acc), ep, nr, dst);
        }
      }
    }
  }
}

// One row of positions (4i .. 4i + 3) of panel q times every tile's V into
// M (position p, tile t at m + p * tiles * 16 + t * 16).
template <int I>
void PanelRow(const Qs8WinogradLayer& L, const int16_t* v, int tiles, const int8_t* taps,
              int16_t* u, int32_t* m) {
  const size_t block = static_cast<size_t>(L.cin_p) * 16;
  Qs8WinogradTransformRow<I>(taps, block, u, block);
  for (int l = 0; l < 4; ++l) {
    const int p = I * 4 + l;
    const int16_t* a = v + static_cast<size_t>(p) * tiles * L.cin_p;
    const int16_t* up = u + l * block;
    int32_t* mp = m + static_cast<size_t>(p) * tiles * 16;
    InRowGroups(tiles, [&](auto rows, int t) {
      PanelRows<decltype(rows)::value>(L.cin_p, a + static_cast<size_t>(t) * L.cin_p, up,
                                       mp + t * 16, 16);
    });
  }
}

}  // namespace

void Qs8WinogradBlockAvx2(const Qs8WinogradLayer& L, const int8_t* input, int8_t* output,
                          int tile0, int count, int16_t* v, int32_t* m) {
  const size_t v_p = static_cast<size_t>(kQs8WinogradTiles) * L.cin_p;
  TransformInputs(L, input, tile0, count, v, v_p);
  Gemms(L, count, v, m);
  const Qs8GemmEpilogue ep =
      RequantView(L.scalars, reinterpret_cast<const int8_t*>(L.requant.data()), L.cout_p);
  WithGemmlowpRequant8(ep, [&](auto form) {
    TransformOutputs<typename decltype(form)::type>(
        L, ep, tile0, count, 0, L.g.out_c, m, L.cout_p,
        static_cast<size_t>(kQs8WinogradTiles) * L.cout_p, output);
  });
}

void Qs8WinogradInputsAvx2(const Qs8WinogradLayer& L, const int8_t* input, int tile0, int count,
                           int16_t* v) {
  const size_t tiles = static_cast<size_t>(Qs8WinogradTiles(L.g));
  TransformInputs(L, input, tile0, count, v + static_cast<size_t>(tile0) * L.cin_p,
                  tiles * L.cin_p);
}

void Qs8WinogradPanelAvx2(const Qs8WinogradLayer& L, const int16_t* v, int q, int16_t* u,
                          int32_t* m, int8_t* output) {
  const int tiles = static_cast<int>(Qs8WinogradTiles(L.g));
  const int8_t* taps = L.taps.get() + static_cast<size_t>(q) * 9 * L.cin_p * 16;
  PanelRow<0>(L, v, tiles, taps, u, m);
  PanelRow<1>(L, v, tiles, taps, u, m);
  PanelRow<2>(L, v, tiles, taps, u, m);
  PanelRow<3>(L, v, tiles, taps, u, m);
  const Qs8GemmEpilogue ep =
      RequantView(L.scalars, reinterpret_cast<const int8_t*>(L.requant.data()), L.cout_p);
  WithGemmlowpRequant8(ep, [&](auto form) {
    TransformOutputs<typename decltype(form)::type>(L, ep, 0, tiles, q * 16,
                                                    std::min(L.g.out_c, q * 16 + 16), m, 16,
                                                    static_cast<size_t>(tiles) * 16, output);
  });
}

}  // namespace pyrt
