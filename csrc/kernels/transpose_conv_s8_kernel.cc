#include "kernels/transpose_conv_s8_kernel.h"

#include <algorithm>
#include <cstring>

#include "core/thread_pool.h"
#include "kernels/qs8_gemm/qs8_gemm.h"
#include "kernels/weight_sums_s8.h"

namespace pyrt {
namespace {

// Below this many output bytes one thread spreads the phases out.
constexpr size_t kMinParallelSpreadBytes = 64 * 1024;

// Taps per phase along an axis: ceil(filter / stride).
int PhaseTaps(int filter, int stride) { return (filter + stride - 1) / stride; }

}  // namespace

bool TransposeConvS8Kernel::Init(Isa isa, const ConvGeometry& tconv, const int8_t* filter,
                                 int32_t input_zero_point, const std::vector<int32_t>& bias,
                                 const std::vector<int32_t>& multiplier,
                                 const std::vector<int32_t>& shift, int32_t output_zero_point,
                                 int32_t act_min, int32_t act_max) {
  if (!PackedQs8Gemm::Supported(isa)) return false;
  tconv_ = tconv;
  const int th = PhaseTaps(tconv.filter_h, tconv.stride_h);
  const int tw = PhaseTaps(tconv.filter_w, tconv.stride_w);
  // Output o covers q = (o + pad) / stride; the first q computed is at
  // most taps - 1, so the convolution's pad (taps - 1 - first) is >= 0
  // (rows before the first output's are computed and dropped).
  const auto axis = [](int stride, int pad, int taps) {
    return Axis{stride, pad, std::min(pad / stride, taps - 1)};
  };
  h_ = axis(tconv.stride_h, tconv.pad_top, th);
  w_ = axis(tconv.stride_w, tconv.pad_left, tw);
  const int phases = tconv.stride_h * tconv.stride_w, N = tconv.out_c, C = tconv.in_c;
  conv_g_ = tconv;
  conv_g_.filter_h = th, conv_g_.filter_w = tw;
  conv_g_.stride_h = conv_g_.stride_w = conv_g_.dilation_h = conv_g_.dilation_w = 1;
  conv_g_.pad_top = th - 1 - h_.first;
  conv_g_.pad_left = tw - 1 - w_.first;
  conv_g_.out_h = (tconv.out_h - 1 + tconv.pad_top) / tconv.stride_h - h_.first + 1;
  conv_g_.out_w = (tconv.out_w - 1 + tconv.pad_left) / tconv.stride_w - w_.first + 1;
  conv_g_.out_c = phases * N;
  direct_ = phases == 1 && h_.first == tconv.pad_top && w_.first == tconv.pad_left;
  // Phase (rh, rw), tap (jh, jw) of channel n: filter tap
  // (stride_h * (th - 1 - jh) + rh, stride_w * (tw - 1 - jw) + rw), the
  // input row of tap jh being q - (th - 1 - jh).
  const size_t K = static_cast<size_t>(th) * tw * C;
  std::vector<int8_t> phase_filter(static_cast<size_t>(phases) * N * K, 0);
  std::vector<int32_t> phase_bias, phase_multiplier, phase_shift;
  for (int rh = 0; rh < tconv.stride_h; ++rh) {
    for (int rw = 0; rw < tconv.stride_w; ++rw) {
      for (int n = 0; n < N; ++n) {
        int8_t* dst = &phase_filter[(static_cast<size_t>(rh * tconv.stride_w + rw) * N + n) * K];
        for (int jh = 0; jh < th; ++jh) {
          const int fy = tconv.stride_h * (th - 1 - jh) + rh;
          for (int jw = 0; jw < tw; ++jw) {
            const int fx = tconv.stride_w * (tw - 1 - jw) + rw;
            if (fy >= tconv.filter_h || fx >= tconv.filter_w) continue;
            std::memcpy(dst + (static_cast<size_t>(jh) * tw + jw) * C,
                        filter + ((static_cast<size_t>(n) * tconv.filter_h + fy) * tconv.filter_w + fx) * C,
                        C);
          }
        }
      }
      phase_bias.insert(phase_bias.end(), bias.begin(), bias.end());
      phase_multiplier.insert(phase_multiplier.end(), multiplier.begin(), multiplier.end());
      phase_shift.insert(phase_shift.end(), shift.begin(), shift.end());
    }
  }
  conv_.Init(isa, conv_g_, phase_filter.data(), input_zero_point,
             FoldInputZeroPoint(std::move(phase_bias), phase_filter.data(), static_cast<int>(K),
                                input_zero_point),
             phase_multiplier, phase_shift, output_zero_point, act_min, act_max);
  return true;
}

size_t TransposeConvS8Kernel::PhasesBytes() const {
  if (direct_) return 0;
  const size_t bytes = static_cast<size_t>(conv_g_.batch) * conv_g_.out_h * conv_g_.out_w * conv_g_.out_c;
  return (bytes + 63) / 64 * 64;
}

size_t TransposeConvS8Kernel::scratch_bytes() const { return PhasesBytes() + conv_.scratch_bytes(); }

void TransposeConvS8Kernel::Run(const int8_t* input, int8_t* output, uint8_t* scratch,
                                ThreadPool* pool) const {
  if (direct_) {
    conv_.Run(input, output, scratch, pool);
    return;
  }
  int8_t* phases = reinterpret_cast<int8_t*>(scratch);
  conv_.Run(input, phases, scratch + PhasesBytes(), pool);
  const int lines = tconv_.batch * tconv_.out_h;
  const size_t bytes = static_cast<size_t>(lines) * tconv_.out_w * tconv_.out_c;
  const int workers = pool && bytes >= kMinParallelSpreadBytes ? std::min(pool->num_threads(), lines) : 1;
  if (workers == 1) {
    SpreadRows(phases, output, 0, lines);
  } else {
    pool->ParallelFor(workers, [&](int w) {
      SpreadRows(phases, output, lines * w / workers, lines * (w + 1) / workers);
    });
  }
}

// Output lines [line0, line1) (line = image * out_h + oy) from the phases:
// along a line, the stride_w outputs of one convolution pixel are adjacent
// in both (channel blocks rw of phase row rh), so they copy as one run.
void TransposeConvS8Kernel::SpreadRows(const int8_t* phases, int8_t* output, int line0,
                                       int line1) const {
  const size_t N = tconv_.out_c, pixel = static_cast<size_t>(conv_g_.out_c);
  for (int line = line0; line < line1; ++line) {
    const int b = line / tconv_.out_h, oy = line % tconv_.out_h;
    const int qh = (oy + h_.pad) / h_.stride, rh = (oy + h_.pad) % h_.stride;
    const int8_t* src_line =
        phases + ((static_cast<size_t>(b) * conv_g_.out_h + qh - h_.first) * conv_g_.out_w) * pixel +
        static_cast<size_t>(rh) * w_.stride * N;
    int8_t* dst = output + static_cast<size_t>(line) * tconv_.out_w * N;
    for (int ox = 0; ox < tconv_.out_w;) {
      const int qw = (ox + w_.pad) / w_.stride, rw = (ox + w_.pad) % w_.stride;
      const int count = std::min(w_.stride - rw, tconv_.out_w - ox);
      std::memcpy(dst, src_line + static_cast<size_t>(qw - w_.first) * pixel + rw * N, count * N);
      dst += count * N;
      ox += count;
    }
  }
}

}  // namespace pyrt
