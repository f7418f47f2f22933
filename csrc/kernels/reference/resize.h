// RESIZE_NEAREST_NEIGHBOR and RESIZE_BILINEAR on NHWC tensors, bit-exact
// with TFLite's reference kernels. The per-row / per-column source
// coordinates depend only on the sizes and options, so they are computed
// once (Make*Axis, at Prepare) and the kernels only interpolate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace pyrt {

struct ResizeShape {
  int64_t batch = 0, in_h = 0, in_w = 0, channels = 0, out_h = 0, out_w = 0;
};

// Nearest source index per output index (GetNearestNeighbor): with the
// float scale in/out ((in-1)/(out-1) for align_corners and out > 1), offset
// 0.5 for half_pixel_centers, floor (std::round for align_corners), clamped.
std::vector<int32_t> NearestAxis(int32_t in_size, int32_t out_size, bool align_corners,
                                 bool half_pixel_centers);

// Copies whole pixels (channels * elem_size bytes) of any dtype.
void ResizeNearestBytes(const ResizeShape& s, size_t elem_size, const int32_t* src_y,
                        const int32_t* src_x, const uint8_t* input, uint8_t* output);

// Float interpolation coordinates of one axis (ComputeInterpolationValues):
// pos = out * scale (or (out + 0.5) * scale - 0.5), lo = max(floor(pos), 0),
// hi = min(ceil(pos), in - 1). Where floor(pos) > in - 1 (the reference
// would read out of bounds) pos is set to in - 1.
struct BilinearAxisF {
  std::vector<float> pos;
  std::vector<int32_t> lo, hi;
};
BilinearAxisF BilinearAxisFloat(int32_t in_size, int32_t out_size, bool align_corners,
                                bool half_pixel_centers);

// Fixed-point coordinates (ComputeInterpolationValuesInteger): pos in 1/1024
// units from a rounded 10-bit scale, lo/hi as above with integer division
// (truncating), the same guard past the last pixel.
struct BilinearAxisQ {
  std::vector<int32_t> pos, lo, hi;
};
BilinearAxisQ BilinearAxisInteger(int32_t in_size, int32_t out_size, bool align_corners,
                                  bool half_pixel_centers);

// Float formula: v00*(1-dy)*(1-dx) + v10*dy*(1-dx) + v01*(1-dy)*dx + v11*dy*dx
// in float, left to right; for uint8 (the reference's templated float path)
// + 0.5 then truncation.
void ResizeBilinearF32(const ResizeShape& s, const BilinearAxisF& y, const BilinearAxisF& x,
                       const float* input, float* output);
void ResizeBilinearU8(const ResizeShape& s, const BilinearAxisF& y, const BilinearAxisF& x,
                      const uint8_t* input, uint8_t* output);

// ResizeBilinearInteger (int8, int16): the four int64 products with 10-bit
// weights, summed, rounded half away from zero at 2^20 (double rounding build).
template <typename T>
void ResizeBilinearInteger(const ResizeShape& s, const BilinearAxisQ& y, const BilinearAxisQ& x,
                           const T* input, T* output);

// One output row of the int8 case: out[x][0..c) for x < out_w from input
// rows r0 (lo) and r1 (hi), wy the weight of r1 in 1/1024 units (may be
// negative), x_pos/x_lo/x_hi the x axis.
using BilinearRowS8Fn = void (*)(const int8_t* r0, const int8_t* r1, int32_t wy,
                                 const int32_t* x_pos, const int32_t* x_lo, const int32_t* x_hi,
                                 int64_t out_w, int64_t c, int8_t* out);
void BilinearRowS8(const int8_t* r0, const int8_t* r1, int32_t wy, const int32_t* x_pos,
                   const int32_t* x_lo, const int32_t* x_hi, int64_t out_w, int64_t c,
                   int8_t* out);
// ResizeBilinearInteger<int8_t> with `row` (BilinearRowS8 or a SIMD twin).
void ResizeBilinearS8(const ResizeShape& s, const BilinearAxisQ& y, const BilinearAxisQ& x,
                      BilinearRowS8Fn row, const int8_t* input, int8_t* output);

}  // namespace pyrt
