#include "core/resources.h"

#include <algorithm>
#include <cstring>

namespace pyrt {

int32_t ResourceStore::HandleId(const std::string& container, const std::string& shared_name) {
  auto [it, inserted] = ids_.try_emplace({container, shared_name},
                                         static_cast<int32_t>(variables_.size()));
  if (inserted) {
    variables_.emplace_back();
    variables_.back().name = shared_name;
  }
  return it->second;
}

ResourceVariable* ResourceStore::Find(int32_t id) {
  if (id < 0 || static_cast<size_t>(id) >= variables_.size()) return nullptr;
  return &variables_[id];
}

bool ResourceStore::init_done(int subgraph) const { return init_done_[subgraph] != 0; }

void ResourceStore::set_init_done(int subgraph) { init_done_[subgraph] = 1; }

void ResourceStore::ResetAll() {
  for (ResourceVariable& v : variables_) {
    std::fill(v.data.begin(), v.data.end(), uint8_t{0});
    v.initialized = false;
  }
  std::fill(init_done_.begin(), init_done_.end(), char{0});
}

}  // namespace pyrt
