#include "kernels/reference/resize.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>

namespace pyrt {

std::vector<int32_t> NearestAxis(int32_t in_size, int32_t out_size, bool align_corners,
                                 bool half_pixel_centers) {
  const float scale = (align_corners && out_size > 1)
                          ? static_cast<float>(in_size - 1) / static_cast<float>(out_size - 1)
                          : static_cast<float>(in_size) / static_cast<float>(out_size);
  const float offset = half_pixel_centers ? 0.5f : 0.0f;
  std::vector<int32_t> src(out_size);
  for (int32_t i = 0; i < out_size; ++i) {
    const float p = (static_cast<float>(i) + offset) * scale;
    const int32_t v = static_cast<int32_t>(align_corners ? std::round(p) : std::floor(p));
    // The reference clamps at 0 only with half_pixel_centers; without it p is
    // never negative, so clamping both ends always gives the same result.
    src[i] = std::max(std::min(v, in_size - 1), 0);
  }
  return src;
}

void ResizeNearestBytes(const ResizeShape& s, size_t elem_size, const int32_t* src_y,
                        const int32_t* src_x, const uint8_t* input, uint8_t* output) {
  const size_t pixel = static_cast<size_t>(s.channels) * elem_size;
  for (int64_t b = 0; b < s.batch; ++b) {
    const uint8_t* image = input + b * s.in_h * s.in_w * pixel;
    for (int64_t y = 0; y < s.out_h; ++y) {
      const uint8_t* row = image + src_y[y] * s.in_w * pixel;
      for (int64_t x = 0; x < s.out_w; ++x, output += pixel)
        std::memcpy(output, row + src_x[x] * pixel, pixel);
    }
  }
}

BilinearAxisF BilinearAxisFloat(int32_t in_size, int32_t out_size, bool align_corners,
                                bool half_pixel_centers) {
  float scale = static_cast<float>(in_size) / static_cast<float>(out_size);
  if (align_corners && out_size > 1)
    scale = static_cast<float>(in_size - 1) / static_cast<float>(out_size - 1);
  BilinearAxisF a;
  a.pos.resize(out_size);
  a.lo.resize(out_size);
  a.hi.resize(out_size);
  for (int32_t i = 0; i < out_size; ++i) {
    const float v = static_cast<float>(i);
    float p = half_pixel_centers ? (v + 0.5f) * scale - 0.5f : v * scale;
    // Past the last pixel the reference reads out of bounds; stay on it.
    if (std::floor(p) > static_cast<float>(in_size - 1)) p = static_cast<float>(in_size - 1);
    a.pos[i] = p;
    a.lo[i] = std::min(std::max(static_cast<int32_t>(std::floor(p)), 0), in_size - 1);
    a.hi[i] = std::min(static_cast<int32_t>(std::ceil(p)), in_size - 1);
  }
  return a;
}

BilinearAxisQ BilinearAxisInteger(int32_t in_size, int32_t out_size, bool align_corners,
                                  bool half_pixel_centers) {
  int32_t scale = ((1 << 10) * in_size + out_size / 2) / out_size;
  if (align_corners && out_size > 1)
    scale = ((1 << 10) * (in_size - 1) + (out_size - 1) / 2) / (out_size - 1);
  BilinearAxisQ a;
  a.pos.resize(out_size);
  a.lo.resize(out_size);
  a.hi.resize(out_size);
  for (int32_t i = 0; i < out_size; ++i) {
    int32_t p = half_pixel_centers ? i * scale + scale / 2 - (1 << 9) : i * scale;
    // Past the last pixel (a rounded-up scale and a huge ratio) the reference
    // reads out of bounds; staying on that pixel also bounds the weights.
    if (p / (1 << 10) > in_size - 1) p = (in_size - 1) * (1 << 10);
    a.pos[i] = p;
    // C++ division truncates toward zero, as in the reference.
    a.lo[i] = std::min(std::max(p / (1 << 10), 0), in_size - 1);
    a.hi[i] = std::min((p + (1 << 10) - 1) / (1 << 10), in_size - 1);
  }
  return a;
}

namespace {

// One output pixel of the float formula; `round` is 0.5 for uint8.
template <typename T>
void BilinearPixelFloat(const T* r0, const T* r1, int64_t c, float dy, float dx, int32_t x0,
                        int32_t x1, float round, T* out) {
  const T* p00 = r0 + x0 * c;
  const T* p01 = r0 + x1 * c;
  const T* p10 = r1 + x0 * c;
  const T* p11 = r1 + x1 * c;
  for (int64_t k = 0; k < c; ++k) {
    const float v = static_cast<float>(p00[k]) * (1 - dy) * (1 - dx) +
                    static_cast<float>(p10[k]) * dy * (1 - dx) +
                    static_cast<float>(p01[k]) * (1 - dy) * dx +
                    static_cast<float>(p11[k]) * dy * dx + round;
    out[k] = static_cast<T>(v);
  }
}

template <typename T>
void BilinearFloat(const ResizeShape& s, const BilinearAxisF& ya, const BilinearAxisF& xa,
                   float round, const T* input, T* output) {
  const int64_t c = s.channels;
  for (int64_t b = 0; b < s.batch; ++b) {
    const T* image = input + b * s.in_h * s.in_w * c;
    for (int64_t y = 0; y < s.out_h; ++y) {
      const T* r0 = image + ya.lo[y] * s.in_w * c;
      const T* r1 = image + ya.hi[y] * s.in_w * c;
      const float dy = ya.pos[y] - static_cast<float>(ya.lo[y]);
      for (int64_t x = 0; x < s.out_w; ++x, output += c) {
        const float dx = xa.pos[x] - static_cast<float>(xa.lo[x]);
        BilinearPixelFloat(r0, r1, c, dy, dx, xa.lo[x], xa.hi[x], round, output);
      }
    }
  }
}

}  // namespace

void ResizeBilinearF32(const ResizeShape& s, const BilinearAxisF& y, const BilinearAxisF& x,
                       const float* input, float* output) {
  BilinearFloat(s, y, x, 0.0f, input, output);
}

void ResizeBilinearU8(const ResizeShape& s, const BilinearAxisF& y, const BilinearAxisF& x,
                      const uint8_t* input, uint8_t* output) {
  BilinearFloat(s, y, x, 0.5f, input, output);
}

namespace {

// Acc holds every partial sum exactly: the four weights' magnitudes sum to at
// most 2048 * 2048 (negative weights only with half_pixel_centers), so int8
// values fit int32 (< 2^29) while int16 values need int64. Integer products
// are associative, so v * (wy * wx) equals the reference's (v * wy) * wx.
template <typename T, typename Acc>
void BilinearRow(const T* r0, const T* r1, Acc wy, const int32_t* x_pos, const int32_t* x_lo,
                 const int32_t* x_hi, int64_t out_w, int64_t c, T* output) {
  constexpr Acc kOne = 1 << 10;
  for (int64_t x = 0; x < out_w; ++x, output += c) {
    const Acc wx = x_pos[x] - kOne * x_lo[x];
    const Acc w00 = (kOne - wy) * (kOne - wx), w10 = wy * (kOne - wx);
    const Acc w01 = (kOne - wy) * wx, w11 = wy * wx;
    const T* p00 = r0 + x_lo[x] * c;
    const T* p01 = r0 + x_hi[x] * c;
    const T* p10 = r1 + x_lo[x] * c;
    const T* p11 = r1 + x_hi[x] * c;
    for (int64_t k = 0; k < c; ++k) {
      const Acc v = p00[k] * w00 + p10[k] * w10 + p01[k] * w01 + p11[k] * w11;
      const Acc round = v > 0 ? (1 << 19) : -(1 << 19);
      output[k] = static_cast<T>((v + round) / (1 << 20));
    }
  }
}

// Rows of every image, each by row(r0, r1, wy, ..., out).
template <typename T, typename Row>
void BilinearRows(const ResizeShape& s, const BilinearAxisQ& ya, const BilinearAxisQ& xa,
                  const T* input, T* output, Row&& row) {
  const int64_t c = s.channels;
  for (int64_t b = 0; b < s.batch; ++b) {
    const T* image = input + b * s.in_h * s.in_w * c;
    for (int64_t y = 0; y < s.out_h; ++y, output += s.out_w * c) {
      const int32_t wy = ya.pos[y] - (1 << 10) * ya.lo[y];  // weight of row hi, may be < 0
      row(image + ya.lo[y] * s.in_w * c, image + ya.hi[y] * s.in_w * c, wy, output);
    }
  }
}

}  // namespace

void BilinearRowS8(const int8_t* r0, const int8_t* r1, int32_t wy, const int32_t* x_pos,
                   const int32_t* x_lo, const int32_t* x_hi, int64_t out_w, int64_t c,
                   int8_t* out) {
  BilinearRow<int8_t, int32_t>(r0, r1, wy, x_pos, x_lo, x_hi, out_w, c, out);
}

void ResizeBilinearS8(const ResizeShape& s, const BilinearAxisQ& ya, const BilinearAxisQ& xa,
                      BilinearRowS8Fn row, const int8_t* input, int8_t* output) {
  BilinearRows(s, ya, xa, input, output,
               [&](const int8_t* r0, const int8_t* r1, int32_t wy, int8_t* out) {
                 row(r0, r1, wy, xa.pos.data(), xa.lo.data(), xa.hi.data(), s.out_w, s.channels,
                     out);
               });
}

template <typename T>
void ResizeBilinearInteger(const ResizeShape& s, const BilinearAxisQ& ya, const BilinearAxisQ& xa,
                           const T* input, T* output) {
  using Acc = std::conditional_t<sizeof(T) == 1, int32_t, int64_t>;
  BilinearRows(s, ya, xa, input, output, [&](const T* r0, const T* r1, int32_t wy, T* out) {
    BilinearRow<T, Acc>(r0, r1, wy, xa.pos.data(), xa.lo.data(), xa.hi.data(), s.out_w,
                        s.channels, out);
  });
}

template void ResizeBilinearInteger<int8_t>(const ResizeShape&, const BilinearAxisQ&,
                                            const BilinearAxisQ&, const int8_t*, int8_t*);
template void ResizeBilinearInteger<int16_t>(const ResizeShape&, const BilinearAxisQ&,
                                             const BilinearAxisQ&, const int16_t*, int16_t*);

}  // namespace pyrt
