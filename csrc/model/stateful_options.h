// Options of control-flow, resource-variable and recurrent ops, read out of
// the flatbuffer (kept apart from model.cc's ReadOptions to keep it short).
#pragma once

#include <cstdint>

#include "model/op_options.h"
#include "tflite_subset_generated.h"

namespace pyrt {

// Options for IF, WHILE, CALL_ONCE, VAR_HANDLE and the LSTM/RNN/SVDF family;
// std::monostate for any other code.
OpOptions ReadStatefulOptions(const tfl::Operator& op, int32_t code);

}  // namespace pyrt
