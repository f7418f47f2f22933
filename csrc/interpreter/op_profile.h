// Per-op wall-clock timing of Invoke, for finding where time goes.
//
// Off by default: Invoke then runs its plain loop and pays nothing. When on,
// Invoke reads a steady clock around every op and stores the durations of
// the latest invoke in slots reserved at Prepare (no allocation in invoke).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pyrt {

struct OpTiming {
  int op_index = 0;      // index of the op in the model's operator list
  std::string op_name;   // builtin name, e.g. "CONV_2D"
  double seconds = 0.0;  // wall-clock time of its Eval in the latest invoke
};

// One entry per op that runs at invoke (ops folded at Prepare excluded), in
// execution order.
using OpProfile = std::vector<OpTiming>;

}  // namespace pyrt
