// An immutable, validated description of a TFLite model.
//
// ReadModel verifies the flatbuffer (every offset, length and nested table)
// and then checks what the Verifier cannot: indices in range, buffer sizes
// that match shapes, quantization arrays that fit their tensors. Constant
// data stays a view into the caller's bytes, which must outlive the model.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "model/op_options.h"
#include <memory>
#include <vector>

#include "core/tensor.h"

namespace pyrt {

struct TensorDesc {
  std::string name;
  DType dtype = DType::kFloat32;
  Shape shape;
  Shape shape_signature;  // -1 for dims the model leaves free; else == shape
  QuantParams quant;
  const uint8_t* data = nullptr;  // constant data (view of the model bytes) or null
  size_t data_size = 0;
  // A sparse constant's dense bytes (data points into them); null otherwise.
  std::shared_ptr<const std::vector<uint8_t>> densified;
  bool is_variable = false;
};

struct OpDesc {
  int index = 0;
  int32_t builtin_code = 0;
  std::string name;  // builtin name, or the custom code for CUSTOM ops
  int32_t version = 1;
  std::vector<int32_t> inputs;   // -1 marks an omitted optional input
  std::vector<int32_t> outputs;
  std::vector<int32_t> intermediates;  // quantization-only tensors (int8 LSTM)
  std::vector<QuantParams> intermediate_quant;  // their quantization, same order
  OpOptions options;
};

struct SignatureDesc {
  std::string key;
  uint32_t subgraph_index = 0;
  std::vector<std::pair<std::string, int32_t>> inputs;   // name -> tensor index
  std::vector<std::pair<std::string, int32_t>> outputs;
};

// One subgraph of the file. Subgraphs other than 0 are read at load but a
// problem in one (an unsupported tensor, say) is kept in `error` and raised
// only when an op runs that subgraph.
struct SubgraphDesc {
  std::string name;
  std::vector<TensorDesc> tensors;
  std::vector<int32_t> inputs;
  std::vector<int32_t> outputs;
  std::vector<OpDesc> ops;
  std::string error;
};

struct ModelDesc {
  uint32_t version = 0;
  std::string description;
  size_t num_subgraphs = 0;
  // The subgraph that runs (ReadModel's `subgraph`, normally 0).
  std::vector<TensorDesc> tensors;
  std::vector<int32_t> inputs;
  std::vector<int32_t> outputs;
  std::vector<OpDesc> ops;
  std::vector<SignatureDesc> signatures;
  // Every subgraph of the file (the one that runs included: the fields above copy it), for the
  // ops that run other subgraphs (IF, WHILE, CALL_ONCE).
  std::vector<SubgraphDesc> subgraphs;
};

// Largest tensor the runtime accepts, in elements and in bytes.
constexpr int64_t kMaxTensorElements = int64_t{1} << 31;

// Reads subgraph `subgraph` (the one that runs; 0 is the main graph).
ModelDesc ReadModel(const uint8_t* data, size_t size, uint32_t subgraph = 0);

}  // namespace pyrt
