// State shared by every subgraph of one interpreter: resource variables
// (VAR_HANDLE / READ_VARIABLE / ASSIGN_VARIABLE) and which CALL_ONCE init
// subgraphs have run.
//
// A VAR_HANDLE names a variable by (container, shared_name); the handle tensor
// holds an int32 id into this store, as TFLite's resource tensors do. A
// variable takes its type and shape from its first ASSIGN_VARIABLE (at
// Prepare when the handle is known then); its bytes persist across invokes
// until ResetAll().
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/tensor.h"

namespace pyrt {

struct ResourceVariable {
  std::string name;  // shared_name, for error messages
  DType dtype = DType::kFloat32;
  Shape shape;
  std::vector<uint8_t> data;
  bool declared = false;     // type and shape known
  bool initialized = false;  // assigned since the last reset
};

class ResourceStore {
 public:
  explicit ResourceStore(size_t num_subgraphs) : init_done_(num_subgraphs, 0) {}

  // The id of (container, shared_name), created on first use.
  int32_t HandleId(const std::string& container, const std::string& shared_name);
  // The variable of an id, or nullptr for an id no VAR_HANDLE produced.
  ResourceVariable* Find(int32_t id);

  bool init_done(int subgraph) const;
  void set_init_done(int subgraph);

  // Forgets every variable's value and every CALL_ONCE, so the next invoke
  // starts from the model's initial state (init subgraphs run again).
  void ResetAll();

 private:
  std::map<std::pair<std::string, std::string>, int32_t> ids_;
  std::vector<ResourceVariable> variables_;
  std::vector<char> init_done_;  // per subgraph index
};

}  // namespace pyrt
