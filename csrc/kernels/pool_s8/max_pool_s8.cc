#include "kernels/pool_s8/max_pool_s8.h"

#include <algorithm>
#include <cstddef>

#include "core/unit_ranges.h"

#if defined(__x86_64__)
#include "kernels/pool_s8/avx2/max_pool_s8_avx2.h"
#endif

namespace pyrt {

MaxPoolS8Fn MaxPoolS8For(Isa isa) {
#if defined(__x86_64__)
  if (IsaAtLeast(isa, Isa::kAvx2)) return MaxPoolS8Avx2;
#endif
  (void)isa;
  return MaxPoolQ<int8_t>;
}

namespace {

// Below this many output bytes per band a split costs more than it saves.
constexpr int64_t kMinBandBytes = 16 * 1024;

}  // namespace

void MaxPoolS8Rows(MaxPoolS8Fn fn, const PoolGeometry& g, const int8_t* input, int8_t* output,
                   ThreadPool* pool) {
  const int threads = pool ? pool->num_threads() : 1;
  const int64_t row_bytes = int64_t{g.out_w} * g.channels;
  const int64_t rows = int64_t{g.batch} * g.out_h;
  const int64_t most = row_bytes > 0 ? rows * row_bytes / kMinBandBytes : 0;
  const int bands = static_cast<int>(std::min<int64_t>({rows, 4 * int64_t{threads}, most}));
  if (threads == 1 || bands <= 1) return fn(g, input, output);
  ParallelUnits(pool, bands, [&](int u) {
    const int64_t r0 = rows * u / bands, r1 = rows * (u + 1) / bands;
    for (int64_t r = r0; r < r1;) {  // within one image at a time
      const int b = static_cast<int>(r / g.out_h), oy = static_cast<int>(r % g.out_h);
      const int count = static_cast<int>(std::min<int64_t>(r1 - r, g.out_h - oy));
      PoolGeometry band = g;
      band.batch = 1;
      band.out_h = count;
      band.pad_top = g.pad_top - oy * g.stride_h;
      fn(band, input + static_cast<size_t>(b) * g.in_h * g.in_w * g.channels,
         output + static_cast<size_t>(r) * row_bytes);
      r += count;
    }
  });
}

}  // namespace pyrt
