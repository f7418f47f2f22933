// 16x8 CONV_2D and DEPTHWISE_CONV_2D (depth multiplier 1) laid out for the
// compiler's vectorizer and split over threads; the same bits as the
// reference (kernels/reference/conv_s16.h), its twin.
//
// Products of int16 activations and int8 weights are at most 2^22 in
// magnitude, so kS16BlockTerms of them sum exactly in int32; those partial
// sums are added into the int64 accumulator the reference uses. Integer sums
// do not depend on their order, so the result is the reference's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/isa.h"
#include "kernels/reference/conv_s16.h"

namespace pyrt {

class ThreadPool;
struct ConvS16TileRequant;  // kernels/x86/conv_s16_tile.h

constexpr int kS16BlockTerms = 256;  // 256 * 2^22 = 2^30 < 2^31

// The SIMD kernels' requantization constants: per output channel (padded
// to `padded` with harmless values) bias and MultiplyByQuantizedMultiplier64's
// reduced multiplier, rounding and total shift, as int64.
struct ConvS16Requant {
  void Init(const ConvS16Params& p, size_t padded);
  // Channels from `first` on, as the x86 kernels take them.
  ConvS16TileRequant From(size_t first) const;

  std::vector<int64_t> bias, reduced, round, total_shift;
  int32_t act_min = 0, act_max = 0;
};

// The x86 tile kernel of a path: ConvS16TileAvx2's contract
// (kernels/x86/avx2/conv_s16_avx2.h), up to `rows` output pixels times a
// panel of `panel_width` channels.
struct ConvS16TileConfig {
  void (*tile)(int rows, const int16_t* const* x, int taps, int in_c, const int32_t* panel,
               const ConvS16TileRequant& rq, int16_t* out, size_t ldo, int cols);
  int rows;
  int panel_width;
};

// CONV_2D. Portable: weights repacked at Init as [fh * fw * in_c][out_c],
// so that one activation times a contiguous row of weights updates a block
// of output channels. x86 SIMD paths (filters of at most kConvS16MaxSimdTaps
// taps): tiles of output pixels times panels of channels, int16 weight
// pairs for vpmaddwd (avx2, avxvnni) or vpdpwssd (avx512vnni, amx).
constexpr int kConvS16MaxSimdTaps = 128;
class ConvS16Kernel {
 public:
  void Init(Isa isa, const ConvS16Params& p);
  void Run(const int16_t* in, int16_t* out, ThreadPool* pool) const;
  bool simd() const { return !panels_.empty(); }

 private:
  void RunPortable(const int16_t* in, int16_t* out, int row0, int row1) const;
  void RunSimd(const int16_t* in, int16_t* out, int row0, int row1) const;

  ConvS16Params p_;
  std::vector<int8_t> packed_;    // portable layout
  const ConvS16TileConfig* tiles_ = nullptr;  // SIMD: the path's tile kernel
  std::vector<int32_t> panels_;   // SIMD: the tile kernel's panels, one after another
  ConvS16Requant requant_;        // SIMD
  std::vector<int16_t> zeros_;    // a padding tap's input
};

// FULLY_CONNECTED 16x8: the reference's sums (FullyConnectedS16) in exact
// int32 blocks of kS16BlockTerms products (a widening multiply-add the
// vectorizer knows) added into int64, units split over threads.
class FullyConnectedS16Kernel {
 public:
  void Init(const FullyConnectedS16Params& p) { p_ = p; }
  void Run(int batches, const int16_t* in, int16_t* out, ThreadPool* pool) const;

 private:
  FullyConnectedS16Params p_;
};

// DEPTHWISE_CONV_2D with depth multiplier 1 and at most kS16BlockTerms taps
// (DepthwiseS16Supported). Portable: channels innermost. x86 SIMD: tap
// pairs through vpmaddwd (16 channels a step) or vpdpwssd (avx512vnni, 32)
// against weights packed at Init, padding taps reading a row of zeros (the
// zero point of 16x8 activations).
bool DepthwiseS16Supported(const ConvGeometry& g, int depth_multiplier);
class DepthwiseS16Kernel {
 public:
  void Init(Isa isa, const ConvS16Params& p);
  void Run(const int16_t* in, int16_t* out, ThreadPool* pool) const;

 private:
  void RunPortable(const int16_t* in, int16_t* out, int row0, int row1) const;
  void RunSimd(const int16_t* in, int16_t* out, int row0, int row1) const;

  ConvS16Params p_;
  // SIMD: the path's pixel kernel (DwConvS16PixelAvx2's contract), its
  // channel group, weights packed for it, requantization, a padding tap's zeros.
  void (*pixel_)(const int16_t* const*, int, int, const int16_t*, const ConvS16TileRequant&,
                 int16_t*) = nullptr;
  int group_ = 16;
  std::vector<int16_t> packed16_;  // empty: portable
  ConvS16Requant requant_;
  std::vector<int16_t> zeros_;     // channels rounded up to group_
};

}  // namespace pyrt
