// Where a u8 GEMM tile's A rows lie, for the dot-product microkernels
// (avx512vnni, avxvnni). Plain: row r at a + r * a_stride, all kp values in
// one run (FlippedS8Rows: the same, holding int8 x instead of x + 128).
// Segmented (a convolution read in place from its padded input): row r at
// rows[r], its k values in `segments` runs of segment_kp (a multiple of 4),
// run s at s * stride from the row's start.
#pragma once

#include <cstddef>
#include <cstdint>

namespace pyrt {
namespace {

struct PlainRows {
  const uint8_t* a;
  size_t a_stride;
  int kp;
  static constexpr bool kFlipSign = false;  // the bytes are x + 128 already
  static constexpr int segments() { return 1; }
  int segment_kp() const { return kp; }
  const uint8_t* Run(int r, int) const { return a + r * a_stride; }
};

struct SegmentedRows {
  const uint8_t* const* rows;
  int count, run_kp;
  size_t stride;
  static constexpr bool kFlipSign = false;
  int segments() const { return count; }
  int segment_kp() const { return run_kp; }
  const uint8_t* Run(int r, int s) const { return rows[r] + s * stride; }
};

// Plain rows of the int8 values themselves (a pointwise convolution's input
// read in place): the kernel flips each quad's sign bits, x ^ 0x80 being
// x + 128 as uint8.
struct FlippedS8Rows : PlainRows {
  static constexpr bool kFlipSign = true;
};

}  // namespace
}  // namespace pyrt
