// Float32 elementwise kernels and MAX_POOL_2D with AVX2 (built with -mavx2;
// reached only through F32VopsConfigFor). Operand orders follow std::min /
// std::max (f32_vops.h): std::max(a, b) is (a < b) ? b : a, which
// _mm256_max_ps(b, a) computes, NaN and signed zeros included.
#include <immintrin.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "kernels/f32_vops/f32_vops.h"

namespace pyrt {
namespace f32_vops_avx2 {
namespace {

// std::min(std::max(v, lo), hi).
inline __m256 ClampValue(__m256 v, __m256 lo, __m256 hi) {
  return _mm256_min_ps(hi, _mm256_max_ps(lo, v));
}

// The last n < 8 floats through a buffer: masked stores are slow on AMD cores.
template <typename F>
inline void Tail(int64_t n, const float* x, const float* y, float* z, F f) {
  alignas(32) float a[8] = {0}, b[8] = {0}, r[8];
  for (int64_t i = 0; i < n; ++i) a[i] = x[i], b[i] = y[i];
  _mm256_store_ps(r, f(_mm256_load_ps(a), _mm256_load_ps(b)));
  for (int64_t i = 0; i < n; ++i) z[i] = r[i];
}

template <typename F>
inline void Binary(const float* x, const float* y, float* z, int64_t n, F f) {
  int64_t i = 0;
  for (; i + 32 <= n; i += 32)
    for (int v = 0; v < 32; v += 8)
      _mm256_storeu_ps(z + i + v, f(_mm256_loadu_ps(x + i + v), _mm256_loadu_ps(y + i + v)));
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(z + i, f(_mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
  if (i < n) Tail(n - i, x + i, y + i, z + i, f);
}

// x >= 0 ? x : x * alpha (ordered compare: NaN takes x * alpha).
inline __m256 PreluValue(__m256 x, __m256 alpha) {
  const __m256 keep = _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_GE_OQ);
  return _mm256_blendv_ps(_mm256_mul_ps(x, alpha), x, keep);
}

}  // namespace

void Add(const float* x, const float* y, float* z, int64_t n, float lo, float hi) {
  const __m256 l = _mm256_set1_ps(lo), h = _mm256_set1_ps(hi);
  Binary(x, y, z, n, [l, h](__m256 a, __m256 b) { return ClampValue(_mm256_add_ps(a, b), l, h); });
}

void Sub(const float* x, const float* y, float* z, int64_t n, float lo, float hi) {
  const __m256 l = _mm256_set1_ps(lo), h = _mm256_set1_ps(hi);
  Binary(x, y, z, n, [l, h](__m256 a, __m256 b) { return ClampValue(_mm256_sub_ps(a, b), l, h); });
}

void Mul(const float* x, const float* y, float* z, int64_t n, float lo, float hi) {
  const __m256 l = _mm256_set1_ps(lo), h = _mm256_set1_ps(hi);
  Binary(x, y, z, n, [l, h](__m256 a, __m256 b) { return ClampValue(_mm256_mul_ps(a, b), l, h); });
}

void Prelu(const float* x, const float* alpha, float* out, int64_t rows, int64_t n) {
  if (n % 8 != 0 || n > 64) {  // rows one at a time
    for (int64_t r = 0; r < rows; ++r, x += n, out += n) Binary(x, alpha, out, n, PreluValue);
    return;
  }
  // Whole vectors per row (16-64 channels): the alphas stay in registers.
  __m256 a[8];
  const int nv = static_cast<int>(n / 8);
  for (int v = 0; v < nv; ++v) a[v] = _mm256_loadu_ps(alpha + 8 * v);
  for (int64_t r = 0; r < rows; ++r, x += n, out += n)
    for (int v = 0; v < nv; ++v)
      _mm256_storeu_ps(out + 8 * v, PreluValue(_mm256_loadu_ps(x + 8 * v), a[v]));
}

void Clamp(const float* x, float* out, int64_t n, float lo, float hi) {
  const __m256 l = _mm256_set1_ps(lo), h = _mm256_set1_ps(hi);
  // std::min(std::max(lo, v), hi): max(v, lo), then min(hi, .).
  auto f = [l, h](__m256 v, __m256) { return _mm256_min_ps(h, _mm256_max_ps(v, l)); };
  Binary(x, x, out, n, f);
}

void MaxPool(const PoolGeometry& g, const float* input, float* output, float lo, float hi) {
  const int C = g.channels;
  const __m256 l = _mm256_set1_ps(lo), h = _mm256_set1_ps(hi);
  const __m256 neg_inf = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
  // acc = std::max(acc, x) is _mm256_max_ps(x, acc).
  auto step = [](__m256 acc, __m256 x) { return _mm256_max_ps(x, acc); };
  static const int32_t kOnes[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
  const __m256i tail = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kOnes + 8 - C % 8));
  for (int b = 0; b < g.batch; ++b) {
    const float* image = input + static_cast<size_t>(b) * g.in_h * g.in_w * C;
    for (int oy = 0; oy < g.out_h; ++oy) {
      const int y0 = std::max(oy * g.stride_h - g.pad_top, 0);
      const int y1 = std::min(oy * g.stride_h - g.pad_top + g.filter_h, g.in_h);
      for (int ox = 0; ox < g.out_w; ++ox, output += C) {
        const int x0 = std::max(ox * g.stride_w - g.pad_left, 0);
        const int x1 = std::min(ox * g.stride_w - g.pad_left + g.filter_w, g.in_w);
        int c = 0;
        for (; c + 32 <= C; c += 32) {  // four vectors of channels per window walk
          __m256 acc0 = neg_inf, acc1 = neg_inf, acc2 = neg_inf, acc3 = neg_inf;
          for (int y = y0; y < y1; ++y)
            for (int x = x0; x < x1; ++x) {
              const float* px = image + (static_cast<size_t>(y) * g.in_w + x) * C + c;
              acc0 = step(acc0, _mm256_loadu_ps(px));
              acc1 = step(acc1, _mm256_loadu_ps(px + 8));
              acc2 = step(acc2, _mm256_loadu_ps(px + 16));
              acc3 = step(acc3, _mm256_loadu_ps(px + 24));
            }
          _mm256_storeu_ps(output + c, ClampValue(acc0, l, h));
          _mm256_storeu_ps(output + c + 8, ClampValue(acc1, l, h));
          _mm256_storeu_ps(output + c + 16, ClampValue(acc2, l, h));
          _mm256_storeu_ps(output + c + 24, ClampValue(acc3, l, h));
        }
        for (; c + 8 <= C; c += 8) {
          __m256 acc = neg_inf;
          for (int y = y0; y < y1; ++y)
            for (int x = x0; x < x1; ++x)
              acc = step(acc, _mm256_loadu_ps(image + (static_cast<size_t>(y) * g.in_w + x) * C + c));
          _mm256_storeu_ps(output + c, ClampValue(acc, l, h));
        }
        if (c < C) {  // the last C % 8 channels: lanes past C load 0 and are not stored
          __m256 acc = neg_inf;
          for (int y = y0; y < y1; ++y)
            for (int x = x0; x < x1; ++x)
              acc = step(acc, _mm256_maskload_ps(
                                  image + (static_cast<size_t>(y) * g.in_w + x) * C + c, tail));
          alignas(32) float r[8];  // not vmaskmovps: slow stores on AMD cores
          _mm256_store_ps(r, ClampValue(acc, l, h));
          for (int j = 0; j < C - c; ++j) output[c + j] = r[j];
        }
      }
    }
  }
}

void ResizeBilinear(const ResizeShape& s, const BilinearAxisF& ya, const BilinearAxisF& xa,
                    const float* input, float* output) {
  const int64_t c = s.channels;
  const __m256 zero = _mm256_setzero_ps();
  for (int64_t b = 0; b < s.batch; ++b) {
    const float* image = input + b * s.in_h * s.in_w * c;
    for (int64_t y = 0; y < s.out_h; ++y) {
      const float* r0 = image + ya.lo[y] * s.in_w * c;
      const float* r1 = image + ya.hi[y] * s.in_w * c;
      const float dy = ya.pos[y] - static_cast<float>(ya.lo[y]);
      const __m256 vdy = _mm256_set1_ps(dy), vdy1 = _mm256_set1_ps(1 - dy);
      for (int64_t x = 0; x < s.out_w; ++x, output += c) {
        const float dx = xa.pos[x] - static_cast<float>(xa.lo[x]);
        const __m256 vdx = _mm256_set1_ps(dx), vdx1 = _mm256_set1_ps(1 - dx);
        const float* p00 = r0 + xa.lo[x] * c;
        const float* p01 = r0 + xa.hi[x] * c;
        const float* p10 = r1 + xa.lo[x] * c;
        const float* p11 = r1 + xa.hi[x] * c;
        int64_t k = 0;
        for (; k + 8 <= c; k += 8) {  // the reference's order: ((p * wy) * wx), summed in turn
          __m256 v = _mm256_mul_ps(_mm256_mul_ps(_mm256_loadu_ps(p00 + k), vdy1), vdx1);
          v = _mm256_add_ps(v, _mm256_mul_ps(_mm256_mul_ps(_mm256_loadu_ps(p10 + k), vdy), vdx1));
          v = _mm256_add_ps(v, _mm256_mul_ps(_mm256_mul_ps(_mm256_loadu_ps(p01 + k), vdy1), vdx));
          v = _mm256_add_ps(v, _mm256_mul_ps(_mm256_mul_ps(_mm256_loadu_ps(p11 + k), vdy), vdx));
          _mm256_storeu_ps(output + k, _mm256_add_ps(v, zero));  // + 0: -0 becomes +0, as there
        }
        for (; k < c; ++k)
          output[k] = p00[k] * (1 - dy) * (1 - dx) + p10[k] * dy * (1 - dx) +
                      p01[k] * (1 - dy) * dx + p11[k] * dy * dx + 0.0f;
      }
    }
  }
}

}  // namespace f32_vops_avx2
}  // namespace pyrt
