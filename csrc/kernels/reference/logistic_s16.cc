#include "kernels/reference/logistic_s16.h"

#include <array>

namespace pyrt {

// sigmoid(i / 24) in Q0.16 exactly as TFLite tabulates it (sigmoid_table_uint16
// in kernels/internal/common.h). 44 entries are one above round(65536 *
// sigmoid(i / 24)), so the table is data, not recomputed.
const uint16_t kSigmoidTableQ16[256] = {
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149,
    40794, 41432, 42064, 42688, 43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369,
    47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409, 51865, 52311, 52745, 53169,
    53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
    57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370,
    60565, 60753, 60935, 61110, 61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302,
    62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186, 63279, 63368, 63454, 63536,
    63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
    64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786,
    64816, 64845, 64873, 64900, 64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079,
    65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208, 65221, 65234, 65246, 65258,
    65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
    65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433,
    65438, 65442, 65445, 65449, 65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474,
    65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491, 65493, 65495, 65497, 65498,
    65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
    65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522,
    65523, 65523, 65524, 65524, 65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528,
    65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530, 65530, 65530, 65531, 65531,
    65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
    65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534,
    65534, 65534, 65534, 65535,
};

const uint32_t* SigmoidNeighbourPairs() {
  static const std::array<uint32_t, 255> pairs = [] {
    std::array<uint32_t, 255> t{};
    for (int i = 0; i < 255; ++i)
      t[i] = kSigmoidTableQ16[i] | static_cast<uint32_t>(kSigmoidTableQ16[i + 1]) << 16;
    return t;
  }();
  return pairs.data();
}

namespace {

// The input rescaled to the table's units: x * multiplier rounded down by
// shift (half up); multiplier 0 stands for a power-of-two scale (x * 3 << shift).
struct InputScaler {
  explicit InputScaler(const LogisticS16Params& p)
      : multiplier(p.input_multiplier == 0 ? 3 << p.input_left_shift : p.input_multiplier),
        shift(p.input_multiplier == 0 ? 0 : p.input_left_shift),
        round(shift > 0 ? 1 << (shift - 1) : 0) {}
  // |x * multiplier| < 2^15 * 2^15: no overflow.
  int32_t operator()(int16_t x) const { return (x * multiplier + round) >> shift; }
  int32_t multiplier;
  int shift;
  int32_t round;
};

}  // namespace

void LogisticS16(const LogisticS16Params& p, const int16_t* in, int16_t* out, int64_t n) {
  const InputScaler scale(p);
  for (int64_t i = 0; i < n; ++i) {
    const int32_t x = scale(in[i]);
    const uint32_t ax = static_cast<uint32_t>(x >= 0 ? x : -x);
    // The table step is 2^9 input units (1/24 in the sigmoid's argument).
    const uint32_t index = ax >> 9;
    uint32_t r;
    if (index >= 255) {
      r = 0x7FFFu << 10;
    } else {
      const uint32_t a = kSigmoidTableQ16[index], b = kSigmoidTableQ16[index + 1];
      r = (a << 9) + (ax & 0x1FF) * (b - a);
    }
    // sigmoid(-x) = 1 - sigmoid(x); rounds to Q0.15.
    r = x >= 0 ? r + (1u << 9) : (1u << 25) - r + (1u << 9) - 1;
    out[i] = static_cast<int16_t>(r >> 10);
  }
}

void TanhS16(const LogisticS16Params& p, const int16_t* in, int16_t* out, int64_t n) {
  const InputScaler scale(p);
  for (int64_t i = 0; i < n; ++i) {
    const int32_t x = scale(in[i]);
    const uint32_t ax = static_cast<uint32_t>(x >= 0 ? x : -x);
    const uint32_t index = ax >> 8;  // table step: 2^8 input units
    int32_t r;
    if (index >= 255) {
      r = 0xFFFF << 8;
    } else {
      const uint32_t a = kSigmoidTableQ16[index], b = kSigmoidTableQ16[index + 1];
      r = static_cast<int32_t>((a << 8) + (ax & 0xFF) * (b - a));
    }
    // 2 * sigmoid - 1 with rounding, then Q0.15 (arithmetic shift).
    r = x >= 0 ? r - (1 << 23) + (1 << 7) : -r + (1 << 23) + (1 << 7) - 1;
    out[i] = static_cast<int16_t>(r >> 8);
  }
}

}  // namespace pyrt
