// ConvS8Kernel's dilated stride-1 path (see conv_s8_kernel.h): output pixel
// (y, x) reads padded input pixels (y + fy * dh, x + fx * dw), so outputs
// with y % dh == a and x % dw == b read only padded pixels with the same
// residues. Phase image (a, b) holds padded pixels (a + dh * r, b + dw * q);
// the undilated VALID conv of it gives outputs (a + dh * yy, b + dw * xx).
// Every phase image has the same size (the largest phase's), so the phases
// run as one batch; pixels past the padded input read the zero point (whose
// products the folded bias cancels, as for any padding) and outputs past the
// layer's are dropped. Sums and requantization are the dilated layer's:
// the same bits.
#include <algorithm>
#include <cstring>

#include "core/unit_ranges.h"
#include "kernels/conv_s8_kernel.h"

namespace pyrt {

bool ConvS8Kernel::InitPhases(Isa isa, const int8_t* filter, int32_t input_zero_point,
                              const std::vector<int32_t>& bias,
                              const std::vector<int32_t>& multiplier,
                              const std::vector<int32_t>& shift, int32_t output_zero_point,
                              int32_t act_min, int32_t act_max) {
  const ConvGeometry& g = g_;
  const int dh = g.dilation_h, dw = g.dilation_w;
  if ((dh == 1 && dw == 1) || g.stride_h != 1 || g.stride_w != 1) return false;
  // A dilation past the output (a hostile file may ask for 2^30 with SAME
  // padding) would make phases with no output and an int-overflowing batch.
  if (dh > g.out_h || dw > g.out_w) return false;
  ConvGeometry p = g;
  p.batch = g.batch * dh * dw;
  p.out_h = (g.out_h + dh - 1) / dh;
  p.out_w = (g.out_w + dw - 1) / dw;
  p.in_h = p.out_h + g.filter_h - 1;
  p.in_w = p.out_w + g.filter_w - 1;
  p.dilation_h = p.dilation_w = 1;
  p.pad_top = p.pad_left = 0;
  phases_ = std::make_unique<ConvS8Kernel>();
  phases_->Init(isa, p, filter, input_zero_point, bias, multiplier, shift, output_zero_point,
                act_min, act_max);
  return true;
}

size_t ConvS8Kernel::PhaseBytes() const {
  const ConvGeometry& p = phases_->g_;
  const size_t in = static_cast<size_t>(p.batch) * p.in_h * p.in_w * p.in_c;
  const size_t out = static_cast<size_t>(p.batch) * p.out_h * p.out_w * p.out_c;
  return (in + 63) / 64 * 64 + (out + 63) / 64 * 64;
}

void ConvS8Kernel::RunPhases(const int8_t* input, int8_t* output, uint8_t* scratch,
                             ThreadPool* pool) const {
  const ConvGeometry& g = g_;
  const ConvGeometry& p = phases_->g_;
  const int dh = g.dilation_h, dw = g.dilation_w, C = g.in_c, OC = g.out_c;
  const size_t in_bytes = static_cast<size_t>(p.batch) * p.in_h * p.in_w * C;
  int8_t* phase_in = reinterpret_cast<int8_t*>(scratch);
  int8_t* phase_out = phase_in + (in_bytes + 63) / 64 * 64;
  // Phase image k = (image * dh + a) * dw + b.
  ParallelUnits(pool, p.batch, [&](int k) {
    const int image = k / (dh * dw), a = k / dw % dh, b = k % dw;
    const int8_t* src = input + static_cast<size_t>(image) * g.in_h * g.in_w * C;
    int8_t* dst = phase_in + static_cast<size_t>(k) * p.in_h * p.in_w * C;
    for (int r = 0; r < p.in_h; ++r) {
      const int iy = a + dh * r - g.pad_top;
      for (int q = 0; q < p.in_w; ++q, dst += C) {
        const int ix = b + dw * q - g.pad_left;
        if (iy >= 0 && iy < g.in_h && ix >= 0 && ix < g.in_w)
          std::memcpy(dst, src + (static_cast<size_t>(iy) * g.in_w + ix) * C, C);
        else
          std::memset(dst, static_cast<uint8_t>(input_zero_point_), C);
      }
    }
  });
  phases_->Run(phase_in, phase_out,
               scratch + PhaseBytes(), pool);
  ParallelUnits(pool, p.batch, [&](int k) {
    const int image = k / (dh * dw), a = k / dw % dh, b = k % dw;
    const int8_t* src = phase_out + static_cast<size_t>(k) * p.out_h * p.out_w * OC;
    int8_t* dst = output + static_cast<size_t>(image) * g.out_h * g.out_w * OC;
    for (int yy = 0; yy < p.out_h; ++yy) {
      const int y = a + dh * yy;
      for (int xx = 0; xx < p.out_w; ++xx) {
        const int x = b + dw * xx;
        if (y < g.out_h && x < g.out_w)
          std::memcpy(dst + (static_cast<size_t>(y) * g.out_w + x) * OC,
                      src + (static_cast<size_t>(yy) * p.out_w + xx) * OC, OC);
      }
    }
  });
}

}  // namespace pyrt
