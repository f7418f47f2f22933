// TRANSPOSE_CONV as one stride-1 convolution (the sub-pixel form), shared by
// the int8 and float kernels. Along each axis, output position o with
// o + pad = stride * q + r (0 <= r < stride) takes filter tap
// f = stride * t + r from input position q - t: for each phase r the taps
// form a filter of ceil(filter / stride) taps (zero weights past the real
// filter). The stride_h * stride_w phases become the output channel blocks
// of one convolution over the input (channel (r_h * stride_w + r_w) * out_c
// + n), whose pixel (q_h, q_w) holds the outputs of the stride_h x stride_w
// output pixels it covers; Spread moves them into place (depth to space)
// and drops what falls outside the output. The convolution sums the
// reference's products plus products with zero weights or with its padding
// (the int8 input zero point, cancelled by the folded bias; float zeros),
// and skips the zero gaps a spread-out input would carry (3/4 of the
// products at stride 2).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/thread_pool.h"
#include "kernels/conv_geometry.h"

namespace pyrt {

class TransposeConvPhases {
 public:
  // tconv: TRANSPOSE_CONV's geometry (input, output, strides; pads >= 0).
  void Plan(const ConvGeometry& tconv) {
    tconv_ = tconv;
    const int th = Taps(tconv.filter_h, tconv.stride_h), tw = Taps(tconv.filter_w, tconv.stride_w);
    // Output o covers q = (o + pad) / stride; the first q computed is at
    // most taps - 1, so the convolution's pad (taps - 1 - first) is >= 0
    // (rows before the first output's are computed and dropped).
    h_ = Axis{tconv.stride_h, tconv.pad_top, std::min(tconv.pad_top / tconv.stride_h, th - 1)};
    w_ = Axis{tconv.stride_w, tconv.pad_left, std::min(tconv.pad_left / tconv.stride_w, tw - 1)};
    conv_ = tconv;
    conv_.filter_h = th, conv_.filter_w = tw;
    conv_.stride_h = conv_.stride_w = conv_.dilation_h = conv_.dilation_w = 1;
    conv_.pad_top = th - 1 - h_.first;
    conv_.pad_left = tw - 1 - w_.first;
    conv_.out_h = (tconv.out_h - 1 + tconv.pad_top) / tconv.stride_h - h_.first + 1;
    conv_.out_w = (tconv.out_w - 1 + tconv.pad_left) / tconv.stride_w - w_.first + 1;
    conv_.out_c = phases() * tconv.out_c;
  }

  // The convolution to run.
  const ConvGeometry& conv() const { return conv_; }
  int phases() const { return tconv_.stride_h * tconv_.stride_w; }
  // The convolution's output is the output (strides 1, pads below the
  // filter size): no Spread.
  bool direct() const { return phases() == 1 && h_.first == tconv_.pad_top && w_.first == tconv_.pad_left; }
  // Scratch ahead of the convolution's own: its output of T (none when
  // direct()), whole cache lines.
  template <typename T>
  size_t PhaseBytes() const {
    if (direct()) return 0;
    const size_t bytes = sizeof(T) * conv_.batch * conv_.out_h * conv_.out_w * conv_.out_c;
    return (bytes + 63) / 64 * 64;
  }

  // Runs the convolution (`conv`, initialized on conv()) into scratch and
  // spreads its output out, or straight into the output when direct().
  template <typename T, typename Conv>
  void Run(const Conv& conv, const T* input, T* output, uint8_t* scratch, ThreadPool* pool) const {
    if (direct()) {
      conv.Run(input, output, scratch, pool);
      return;
    }
    T* phase_out = reinterpret_cast<T*>(scratch);
    conv.Run(input, phase_out, scratch + PhaseBytes<T>(), pool);
    Spread(phase_out, output, pool);
  }

  // The convolution's filter [phases * out_c][th][tw][in_c] from the
  // transposed one [out_c][filter_h][filter_w][in_c]: phase (rh, rw), tap
  // (jh, jw) of channel n is filter tap (stride_h * (th - 1 - jh) + rh,
  // stride_w * (tw - 1 - jw) + rw) (tap jh reads input row q - (th - 1 - jh)).
  template <typename T>
  std::vector<T> Filter(const T* filter) const {
    const ConvGeometry& t = tconv_;
    const size_t C = t.in_c, K = static_cast<size_t>(conv_.filter_h) * conv_.filter_w * C;
    std::vector<T> out(static_cast<size_t>(conv_.out_c) * K, T{0});
    for (int rh = 0; rh < t.stride_h; ++rh) {
      for (int rw = 0; rw < t.stride_w; ++rw) {
        for (int n = 0; n < t.out_c; ++n) {
          T* dst = &out[(static_cast<size_t>(rh * t.stride_w + rw) * t.out_c + n) * K];
          for (int jh = 0; jh < conv_.filter_h; ++jh) {
            const int fy = t.stride_h * (conv_.filter_h - 1 - jh) + rh;
            for (int jw = 0; jw < conv_.filter_w; ++jw) {
              const int fx = t.stride_w * (conv_.filter_w - 1 - jw) + rw;
              if (fy >= t.filter_h || fx >= t.filter_w) continue;
              std::memcpy(dst + (static_cast<size_t>(jh) * conv_.filter_w + jw) * C,
                          filter + ((static_cast<size_t>(n) * t.filter_h + fy) * t.filter_w + fx) * C,
                          C * sizeof(T));
            }
          }
        }
      }
    }
    return out;
  }

  // Per-output-channel values (bias, multipliers) for every phase.
  template <typename T>
  std::vector<T> Repeat(const std::vector<T>& per_channel) const {
    std::vector<T> out;
    out.reserve(per_channel.size() * phases());
    for (int p = 0; p < phases(); ++p) out.insert(out.end(), per_channel.begin(), per_channel.end());
    return out;
  }

 private:
  // The convolution's output `phases` into the output (depth to space).
  // Large outputs are split by lines among the pool's workers.
  template <typename T>
  void Spread(const T* phases, T* output, ThreadPool* pool) const {
    const int lines = tconv_.batch * tconv_.out_h;
    const size_t bytes = static_cast<size_t>(lines) * tconv_.out_w * tconv_.out_c * sizeof(T);
    const int workers = pool && bytes >= kMinParallelSpreadBytes ? std::min(pool->num_threads(), lines) : 1;
    if (workers == 1) {
      SpreadLines(phases, output, 0, lines);
    } else {
      pool->ParallelFor(workers, [&](int w) {
        SpreadLines(phases, output, lines * w / workers, lines * (w + 1) / workers);
      });
    }
  }

  // One axis: the convolution covers q = first .. first + its size - 1.
  struct Axis {
    int stride = 1, pad = 0, first = 0;
  };
  // Below this many output bytes one thread spreads the phases out.
  static constexpr size_t kMinParallelSpreadBytes = 64 * 1024;

  static int Taps(int filter, int stride) { return (filter + stride - 1) / stride; }

  // Output lines [line0, line1) (line = image * out_h + oy): along a line,
  // the stride_w outputs of one convolution pixel are adjacent in both
  // (channel blocks rw of phase row rh), so they copy as one run.
  template <typename T>
  void SpreadLines(const T* phases, T* output, int line0, int line1) const {
    const size_t N = tconv_.out_c, pixel = conv_.out_c;
    for (int line = line0; line < line1; ++line) {
      const int b = line / tconv_.out_h, oy = line % tconv_.out_h;
      const int qh = (oy + h_.pad) / h_.stride, rh = (oy + h_.pad) % h_.stride;
      const T* src = phases + (static_cast<size_t>(b) * conv_.out_h + qh - h_.first) * conv_.out_w * pixel +
                     static_cast<size_t>(rh) * w_.stride * N;
      T* dst = output + static_cast<size_t>(line) * tconv_.out_w * N;
      for (int ox = 0; ox < tconv_.out_w;) {
        const int qw = (ox + w_.pad) / w_.stride, rw = (ox + w_.pad) % w_.stride;
        const int count = std::min(w_.stride - rw, tconv_.out_w - ox);
        std::memcpy(dst, src + static_cast<size_t>(qw - w_.first) * pixel + rw * N, count * N * sizeof(T));
        dst += count * N;
        ox += count;
      }
    }
  }

  ConvGeometry tconv_{}, conv_{};
  Axis h_, w_;
};

}  // namespace pyrt
