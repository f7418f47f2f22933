#include "kernels/reference/gather.h"

#include <cstring>

namespace pyrt {

template <typename Index>
int64_t GatherBytes(const GatherParams& p, const uint8_t* input, const Index* indices,
                    uint8_t* output) {
  const size_t slab = static_cast<size_t>(p.inner_bytes);
  int64_t bad = 0;
  for (int64_t b = 0; b < p.batch; ++b) {
    const Index* idx = indices + b * p.coords;
    for (int64_t o = 0; o < p.outer; ++o) {
      const uint8_t* src = input + (b * p.outer + o) * p.axis_size * p.inner_bytes;
      uint8_t* dst = output + (b * p.outer + o) * p.coords * p.inner_bytes;
      for (int64_t i = 0; i < p.coords; ++i, dst += slab) {
        Index c;
        std::memcpy(&c, idx + i, sizeof(Index));  // constant buffers may be unaligned
        if (c < 0 || static_cast<int64_t>(c) >= p.axis_size) {
          std::memset(dst, 0, slab);
          ++bad;
          continue;
        }
        std::memcpy(dst, src + static_cast<int64_t>(c) * p.inner_bytes, slab);
      }
    }
  }
  return bad;
}

template int64_t GatherBytes<int16_t>(const GatherParams&, const uint8_t*, const int16_t*, uint8_t*);
template int64_t GatherBytes<int32_t>(const GatherParams&, const uint8_t*, const int32_t*, uint8_t*);
template int64_t GatherBytes<int64_t>(const GatherParams&, const uint8_t*, const int64_t*, uint8_t*);

}  // namespace pyrt
