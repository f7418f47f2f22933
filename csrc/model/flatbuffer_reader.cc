#include "model/flatbuffer_reader.h"

#include "core/error.h"

namespace pyrt {
namespace fbs {

namespace {
constexpr const char kPrefix[] = "malformed TFLite model: flatbuffer verification failed: ";
}  // namespace

void Malformed(const char* what, const std::string& detail) {
  ThrowModelError(kPrefix, what, ": ", detail);
}

void AddPathStep(const std::exception& e, const char* what, uint32_t index) {
  std::string message = e.what();
  const size_t n = sizeof(kPrefix) - 1;
  if (message.compare(0, n, kPrefix) != 0) throw;  // not ours: unchanged
  ThrowModelError(kPrefix, what, "[", index, "] > ", message.substr(n));
}

void CheckRange(const Source* src, uint64_t pos, uint64_t width, uint64_t align, const char* what) {
  if (pos > src->size || width > src->size - pos)
    Malformed(what, StrCat(width, " bytes at byte ", pos, " run past the end of the ", src->size,
                           "-byte buffer"));
  if (align > 1 && pos % align != 0)
    Malformed(what, StrCat("byte ", pos, " is not aligned to ", align, " bytes"));
}

uint64_t FollowOffset(const Source* src, uint64_t pos, const char* what) {
  const uint32_t offset = ReadScalar<uint32_t>(src, pos, what);
  // Offsets point strictly forward and stay below 2^31, as the Verifier
  // demands: no cycles, no wrap-around.
  if (offset == 0 || offset >= (1u << 31))
    Malformed(what, StrCat("offset ", offset, " at byte ", pos, " is not in [1, 2^31)"));
  const uint64_t target = pos + offset;
  if (target >= src->size)
    Malformed(what, StrCat("offset at byte ", pos, " points to byte ", target,
                           ", past the end of the ", src->size, "-byte buffer"));
  return target;
}

Span ReadSpan(const Source* src, uint64_t pos, uint64_t elem_size, const char* what) {
  const uint32_t count = ReadScalar<uint32_t>(src, pos, what);
  const uint64_t start = pos + 4;
  const uint64_t bytes = static_cast<uint64_t>(count) * elem_size;  // < 2^36: no overflow
  if (start > src->size || bytes > src->size - start)
    Malformed(what, StrCat("vector of ", count, " x ", elem_size, " bytes at byte ", pos,
                           " runs past the end of the ", src->size, "-byte buffer"));
  return {start, count};
}

Table::Table(const Source* src, uint64_t pos, const char* what) {
  const int32_t soffset = ReadScalar<int32_t>(src, pos, what);
  const int64_t vtable = static_cast<int64_t>(pos) - soffset;
  if (vtable < 0 || static_cast<uint64_t>(vtable) >= src->size)
    Malformed(what, StrCat("table at byte ", pos, ": vtable at byte ", vtable,
                           " is outside the ", src->size, "-byte buffer"));
  const uint16_t vtable_size = ReadScalar<uint16_t>(src, static_cast<uint64_t>(vtable), what);
  if (vtable_size % 2 != 0)
    Malformed(what, StrCat("table at byte ", pos, ": vtable size ", vtable_size, " is odd"));
  CheckRange(src, static_cast<uint64_t>(vtable), vtable_size, 2, what);
  src_ = src;
  pos_ = pos;
  vtable_ = static_cast<uint64_t>(vtable);
  vtable_size_ = vtable_size;
}

void Table::Enter(int depth, const char* what) const {
  if (depth > Source::kMaxDepth)
    Malformed(what, StrCat("tables nested more than ", Source::kMaxDepth, " deep"));
  if (++src_->tables_verified > Source::kMaxTables)
    Malformed(what, StrCat("more than ", Source::kMaxTables, " tables"));
}

uint64_t Table::FieldPos(uint16_t vo, uint64_t width, const char* what) const {
  if (!src_) Malformed(what, "field of an absent table");  // generated code never does this
  if (vo + 2u > vtable_size_) return 0;  // slot beyond this table's vtable: absent
  const uint16_t field = Load<uint16_t>(src_, vtable_ + vo);
  if (field == 0) return 0;
  const uint64_t pos = pos_ + field;
  CheckRange(src_, pos, width, width, what);
  return pos;
}

String Table::StringField(uint16_t vo, const char* what) const {
  const uint64_t pos = Indirect(vo, what);
  if (!pos) return String();
  const Span span = ReadSpan(src_, pos, 1, what);
  const uint64_t nul = span.start + span.count;
  if (nul >= src_->size || src_->data[nul] != 0)
    Malformed(what, StrCat("string of ", span.count, " bytes at byte ", pos,
                           " has no NUL terminator inside the buffer"));
  return String(src_, span);
}

bool HasIdentifier(const Source* src, const char* identifier) {
  return src->size >= 8 && std::memcmp(src->data + 4, identifier, 4) == 0;
}

}  // namespace fbs
}  // namespace pyrt
