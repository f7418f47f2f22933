// Errors raised while loading or preparing a model.
//
// Loading and Prepare report problems by throwing ModelError with a message
// that names the op or tensor; the binding layer turns it into
// pyruntime.ModelError. Eval never throws: everything it could trip over is
// checked in Prepare.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace pyrt {

class ModelError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Misuse of the API by the caller (wrong input shape, unknown index, ...).
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

template <typename... Args>
std::string StrCat(Args&&... args) {
  std::ostringstream s;
  (s << ... << std::forward<Args>(args));
  return s.str();
}

template <typename... Args>
[[noreturn]] void ThrowModelError(Args&&... args) {
  throw ModelError(StrCat(std::forward<Args>(args)...));
}

// Thrown by an op's Prepare that needs the value of tensor `tensor` (a shape
// input) while that value is only computed at invoke. The interpreter then
// stops planning at that op and prepares the rest at invoke, once the value
// exists; when the tensor can never have a value this is a plain ModelError.
class ValueNeeded : public ModelError {
 public:
  ValueNeeded(int tensor, const std::string& message) : ModelError(message), tensor(tensor) {}
  int tensor;
};

// Checks a model property; the message is only built when the check fails.
#define PYRT_ENSURE(cond, ...)                        \
  do {                                                \
    if (!(cond)) ::pyrt::ThrowModelError(__VA_ARGS__); \
  } while (0)

}  // namespace pyrt
