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

// Checks a model property; the message is only built when the check fails.
#define PYRT_ENSURE(cond, ...)                        \
  do {                                                \
    if (!(cond)) ::pyrt::ThrowModelError(__VA_ARGS__); \
  } while (0)

}  // namespace pyrt
