// The one fault record of the AMX tile model (amx_tile_model.h), shared by
// the emulated kernels and the model's own test entry.
#if defined(__x86_64__)
#include "testing/amx_tile_model.h"

#include <mutex>

namespace pyrt {
namespace amx_model {
namespace {

std::mutex fault_mutex;
std::string fault_text;

}  // namespace

bool Fault(const std::string& what) {
  std::lock_guard<std::mutex> lock(fault_mutex);
  if (fault_text.empty()) fault_text = what;
  return false;
}

std::string TakeAmxModelFault() {
  std::lock_guard<std::mutex> lock(fault_mutex);
  std::string text;
  text.swap(fault_text);
  return text;
}

}  // namespace amx_model
}  // namespace pyrt
#endif  // __x86_64__
