// Bounds-checked reading of a FlatBuffers buffer (the .tflite format).
//
// The accessor classes generated from csrc/model/tflite_subset.fbs by
// tools/gen_schema_reader.py derive from Table below. Every read checks,
// when it happens, that the bytes it touches lie in the buffer and are
// aligned as the format requires (relative to the buffer start, as
// flatbuffers' Verifier does), and throws ModelError naming the field
// otherwise. Union members and fields the schema does not declare are never
// looked at.
//
// ReadModel first runs the generated Verify over the whole buffer (every
// field the schema declares, as flatbuffers' Verifier did), so a corrupted
// file is rejected the same way whatever part of it pyruntime reads; the
// accessors still check each read on their own.
//
// Wire format: little-endian. The buffer starts with a uint32 offset to the
// root table. A table starts with an int32 soffset: table - soffset is its
// vtable, a uint16 vtable size, a uint16 table size, then one uint16 field
// offset per slot (0 = absent, then the default). A vector or string is a
// uint32 count then the elements (a string: bytes and a NUL); references to
// tables, vectors and strings are uint32 offsets forward from where they are
// stored. A union is a ubyte type field plus a table offset in the next slot.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <string>
#include <type_traits>
#include <vector>

namespace pyrt {
namespace fbs {

// The buffer being read, and how many tables Verify has visited in it: as
// the Verifier's limits, these bound the work of a file whose offsets all
// point at the same few tables, or nest deeply.
struct Source {
  const uint8_t* data = nullptr;
  uint64_t size = 0;
  mutable uint64_t tables_verified = 0;
  static constexpr uint64_t kMaxTables = 1000000;
  static constexpr int kMaxDepth = 64;
};

// Throws ModelError("malformed TFLite model: flatbuffer verification failed:
// <what>: <detail>").
[[noreturn]] void Malformed(const char* what, const std::string& detail);

// Checks that [pos, pos + width) lies in the buffer and pos is a multiple of
// `align` (relative to the buffer start).
void CheckRange(const Source* src, uint64_t pos, uint64_t width, uint64_t align, const char* what);

// Little-endian value of type T at src->data + pos (already range-checked).
template <typename T>
T Load(const Source* src, uint64_t pos) {
  static_assert(sizeof(T) <= 8, "scalars only");
  uint64_t bits = 0;
  const uint8_t* p = src->data + pos;
  for (size_t i = 0; i < sizeof(T); ++i) bits |= static_cast<uint64_t>(p[i]) << (8 * i);
  if constexpr (std::is_same_v<T, bool>) {
    return bits != 0;
  } else {
    T value;
    if constexpr (sizeof(T) == 1) {
      const uint8_t b = static_cast<uint8_t>(bits);
      std::memcpy(&value, &b, 1);
    } else if constexpr (sizeof(T) == 2) {
      const uint16_t b = static_cast<uint16_t>(bits);
      std::memcpy(&value, &b, 2);
    } else if constexpr (sizeof(T) == 4) {
      const uint32_t b = static_cast<uint32_t>(bits);
      std::memcpy(&value, &b, 4);
    } else {
      std::memcpy(&value, &bits, 8);
    }
    return value;
  }
}

// Checked read of a scalar at `pos`, aligned to its size.
template <typename T>
T ReadScalar(const Source* src, uint64_t pos, const char* what) {
  CheckRange(src, pos, sizeof(T), sizeof(T), what);
  return Load<T>(src, pos);
}

// Target of the uint32 offset stored at `pos`: nonzero, below 2^31, inside
// the buffer.
uint64_t FollowOffset(const Source* src, uint64_t pos, const char* what);

// Start and element count of a vector (or string) whose offset target is
// `pos`: the count fits, and count * elem_size bytes follow it.
struct Span {
  uint64_t start = 0;  // first element
  uint32_t count = 0;
};
Span ReadSpan(const Source* src, uint64_t pos, uint64_t elem_size, const char* what);

// A vector of scalars. Absent (false) when the field is absent.
template <typename T>
class Vector {
 public:
  Vector() = default;
  Vector(const Source* src, Span span, const char* what) : src_(src), span_(span), what_(what) {}
  explicit operator bool() const { return src_ != nullptr; }
  const Vector* operator->() const { return this; }
  uint32_t size() const { return span_.count; }
  T Get(uint32_t i) const {
    if (i >= span_.count) Malformed(what_, "element index out of range");
    return Load<T>(src_, span_.start + static_cast<uint64_t>(i) * sizeof(T));
  }
  // The elements' bytes (count * sizeof(T) of them), possibly unaligned for T.
  const uint8_t* data() const { return src_ ? src_->data + span_.start : nullptr; }
  std::vector<T> ToStd() const {
    std::vector<T> out(span_.count);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if constexpr (!std::is_same_v<T, bool>) {  // the wire's byte order: one copy
      if (span_.count) std::memcpy(out.data(), src_->data + span_.start, span_.count * sizeof(T));
      return out;
    }
#endif
    for (uint32_t i = 0; i < span_.count; ++i)
      out[i] = Load<T>(src_, span_.start + static_cast<uint64_t>(i) * sizeof(T));
    return out;
  }

 private:
  const Source* src_ = nullptr;
  Span span_;
  const char* what_ = "";
};

// A string: bytes then a NUL, checked when read. Absent (false) when the
// field is absent.
class String {
 public:
  String() = default;
  String(const Source* src, Span span) : src_(src), span_(span) {}
  explicit operator bool() const { return src_ != nullptr; }
  const String* operator->() const { return this; }
  uint32_t size() const { return span_.count; }
  const char* data() const {
    return src_ ? reinterpret_cast<const char*>(src_->data + span_.start) : "";
  }
  std::string str() const { return std::string(data(), size()); }

 private:
  const Source* src_ = nullptr;
  Span span_;
};

// A table: its header (the soffset and the vtable) is checked when opened,
// each field when read.
class Table {
 public:
  Table() = default;
  Table(const Source* src, uint64_t pos, const char* what);
  explicit operator bool() const { return src_ != nullptr; }

 protected:
  // Counts a table Verify visits against the limits of depth and number.
  void Enter(int depth, const char* what) const;

  // Position of the field at vtable offset `vo`, 0 when absent; the field's
  // `width` bytes are checked to lie in the buffer, aligned to `width`.
  uint64_t FieldPos(uint16_t vo, uint64_t width, const char* what) const;

  template <typename T>
  T Scalar(uint16_t vo, T fallback, const char* what) const {
    const uint64_t pos = FieldPos(vo, sizeof(T), what);
    return pos ? Load<T>(src_, pos) : fallback;
  }
  // Target of an offset field, 0 when absent.
  uint64_t Indirect(uint16_t vo, const char* what) const {
    const uint64_t pos = FieldPos(vo, 4, what);
    return pos ? FollowOffset(src_, pos, what) : 0;
  }
  template <typename T>
  Vector<T> VectorField(uint16_t vo, const char* what) const {
    const uint64_t pos = Indirect(vo, what);
    return pos ? Vector<T>(src_, ReadSpan(src_, pos, sizeof(T), what), what) : Vector<T>();
  }
  String StringField(uint16_t vo, const char* what) const;
  template <typename T>
  T TableField(uint16_t vo, const char* what) const {
    const uint64_t pos = Indirect(vo, what);
    return pos ? T(src_, pos, what) : T();
  }
  template <typename T>
  auto TableVectorField(uint16_t vo, const char* what) const;

  const Source* src_ = nullptr;
  uint64_t pos_ = 0;
  uint64_t vtable_ = 0;
  uint16_t vtable_size_ = 0;
};

// A vector of tables; each element is opened (and checked) by Get.
template <typename T>
class TableVector {
 public:
  TableVector() = default;
  TableVector(const Source* src, Span span, const char* what) : src_(src), span_(span), what_(what) {}
  explicit operator bool() const { return src_ != nullptr; }
  const TableVector* operator->() const { return this; }
  uint32_t size() const { return span_.count; }
  T Get(uint32_t i) const {
    if (i >= span_.count) Malformed(what_, "element index out of range");
    const uint64_t elem = span_.start + static_cast<uint64_t>(i) * 4;
    return T(src_, FollowOffset(src_, elem, what_), what_);
  }

  class Iterator {
   public:
    Iterator(const TableVector* v, uint32_t i) : v_(v), i_(i) {}
    T operator*() const { return v_->Get(i_); }
    Iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator!=(const Iterator& o) const { return i_ != o.i_; }

   private:
    const TableVector* v_;
    uint32_t i_;
  };
  Iterator begin() const { return Iterator(this, 0); }
  Iterator end() const { return Iterator(this, span_.count); }

 private:
  const Source* src_ = nullptr;
  Span span_;
  const char* what_ = "";
};

template <typename T>
auto Table::TableVectorField(uint16_t vo, const char* what) const {
  const uint64_t pos = Indirect(vo, what);
  return pos ? TableVector<T>(src_, ReadSpan(src_, pos, 4, what), what) : TableVector<T>();
}

// Rethrows `e` (from Malformed) with "<what>[index] > " put before the
// place it names, so a message leads from the root to the bad field.
[[noreturn]] void AddPathStep(const std::exception& e, const char* what, uint32_t index);

// Verifies each table of `v` (depth: theirs); a failure names its index.
template <typename T>
void VerifyEach(const TableVector<T>& v, int depth, const char* what) {
  for (uint32_t i = 0; i < v.size(); ++i) {
    try {
      v.Get(i).Verify(depth);
    } catch (const std::exception& e) {
      AddPathStep(e, what, i);
    }
  }
}

// The root table (the uint32 offset at byte 0).
template <typename T>
T Root(const Source* src, const char* what) {
  return T(src, FollowOffset(src, 0, what), what);
}

// Whether bytes 4..8 hold the 4-character file identifier.
bool HasIdentifier(const Source* src, const char* identifier);

}  // namespace fbs
}  // namespace pyrt
