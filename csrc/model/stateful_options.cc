#include "model/stateful_options.h"

#include <string>

#include "model/builtin_ops.h"

namespace pyrt {
namespace {

Activation ToActivation(tfl::ActivationFunctionType a) {
  return static_cast<Activation>(static_cast<int8_t>(a));
}

std::string ToString(const fbs::String& s) { return s ? s.str() : std::string(); }

}  // namespace

OpOptions ReadStatefulOptions(const tfl::Operator& op, int32_t code) {
  switch (code) {
    case kOpIf: {
      SubgraphOptions o;
      if (auto p = op->builtin_options_as_IfOptions())
        o = {p->then_subgraph_index(), p->else_subgraph_index()};
      return o;
    }
    case kOpWhile: {
      SubgraphOptions o;
      if (auto p = op->builtin_options_as_WhileOptions())
        o = {p->cond_subgraph_index(), p->body_subgraph_index()};
      return o;
    }
    case kOpCallOnce: {
      SubgraphOptions o;
      if (auto p = op->builtin_options_as_CallOnceOptions()) o.first = p->init_subgraph_index();
      return o;
    }
    case kOpStablehloComposite: {
      SubgraphOptions o;
      if (auto p = op->builtin_options_2_as_StableHLOCompositeOptions())
        o.first = p->decomposition_subgraph_index();
      return o;
    }
    case kOpVarHandle: {
      VarHandleOptions o;
      if (auto p = op->builtin_options_as_VarHandleOptions()) {
        o.container = ToString(p->container());
        o.shared_name = ToString(p->shared_name());
      }
      return o;
    }
    case kOpUnidirectionalSequenceLstm: {
      RecurrentOptions o;
      if (auto p = op->builtin_options_as_UnidirectionalSequenceLSTMOptions()) {
        o.activation = ToActivation(p->fused_activation_function());
        o.cell_clip = p->cell_clip();
        o.proj_clip = p->proj_clip();
        o.time_major = p->time_major();
        o.asymmetric_quantize_inputs = p->asymmetric_quantize_inputs();
        o.diagonal_recurrent_tensors = p->diagonal_recurrent_tensors();
      }
      return o;
    }
    case kOpLstm: {
      RecurrentOptions o;
      o.time_major = true;
      if (auto p = op->builtin_options_as_LSTMOptions()) {
        o.activation = ToActivation(p->fused_activation_function());
        o.cell_clip = p->cell_clip();
        o.proj_clip = p->proj_clip();
        o.kernel_type = static_cast<int8_t>(p->kernel_type());
        o.asymmetric_quantize_inputs = p->asymmetric_quantize_inputs();
      }
      return o;
    }
    case kOpBidirectionalSequenceLstm: {
      RecurrentOptions o;
      o.time_major = true;
      if (auto p = op->builtin_options_as_BidirectionalSequenceLSTMOptions()) {
        o.activation = ToActivation(p->fused_activation_function());
        o.cell_clip = p->cell_clip();
        o.proj_clip = p->proj_clip();
        o.merge_outputs = p->merge_outputs();
        o.time_major = p->time_major();
        o.asymmetric_quantize_inputs = p->asymmetric_quantize_inputs();
      }
      return o;
    }
    case kOpSvdf: {
      RecurrentOptions o;
      if (auto p = op->builtin_options_as_SVDFOptions()) {
        o.rank = p->rank();
        o.activation = ToActivation(p->fused_activation_function());
        o.asymmetric_quantize_inputs = p->asymmetric_quantize_inputs();
      }
      return o;
    }
    case kOpRnn: {
      RecurrentOptions o;
      if (auto p = op->builtin_options_as_RNNOptions()) {
        o.activation = ToActivation(p->fused_activation_function());
        o.asymmetric_quantize_inputs = p->asymmetric_quantize_inputs();
      }
      return o;
    }
    case kOpUnidirectionalSequenceRnn: {
      RecurrentOptions o;
      if (auto p = op->builtin_options_as_SequenceRNNOptions()) {
        o.time_major = p->time_major();
        o.activation = ToActivation(p->fused_activation_function());
        o.asymmetric_quantize_inputs = p->asymmetric_quantize_inputs();
      }
      return o;
    }
    case kOpBidirectionalSequenceRnn: {
      RecurrentOptions o;
      if (auto p = op->builtin_options_as_BidirectionalSequenceRNNOptions()) {
        o.time_major = p->time_major();
        o.activation = ToActivation(p->fused_activation_function());
        o.merge_outputs = p->merge_outputs();
        o.asymmetric_quantize_inputs = p->asymmetric_quantize_inputs();
      }
      return o;
    }
    default:
      return std::monostate{};
  }
}

}  // namespace pyrt
