// Choosing a reader: format names, detection by extension and first bytes,
// and ValidateFile.
#include <algorithm>

#include <fmt/format.h>

#include "chat/import/readers.h"
#include "core/text.h"

namespace sg::chat {
namespace {

constexpr std::string_view kFormats = "pan12, jsonl, csv or whatsapp";

std::optional<Format> ByExtension(std::string_view name) {
  const size_t slash = name.find_last_of('/');
  const std::string_view base = slash == std::string_view::npos ? name : name.substr(slash + 1);
  const size_t dot = base.find_last_of('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string ext = AsciiLower(base.substr(dot + 1));
  if (ext == "xml") return Format::kPan12;
  if (ext == "jsonl" || ext == "ndjson") return Format::kJsonl;
  if (ext == "csv") return Format::kCsv;
  if (ext == "txt") return Format::kWhatsapp;
  return std::nullopt;
}

// A WhatsApp header at the start of `line`: "[d/m/y, " or "d/m/y, ".
bool LooksLikeWhatsapp(std::string_view line) {
  if (line.starts_with("\xE2\x80\x8E")) line.remove_prefix(3);
  if (line.starts_with("[")) line.remove_prefix(1);
  size_t i = 0, fields = 0;
  while (fields < 3) {
    const size_t start = i;
    while (i < line.size() && i - start < 4 && line[i] >= '0' && line[i] <= '9') ++i;
    if (i == start) return false;
    ++fields;
    if (fields == 3) break;
    if (i >= line.size() || (line[i] != '/' && line[i] != '.' && line[i] != '-')) return false;
    ++i;
  }
  return line.substr(i).starts_with(",") || line.substr(i).starts_with(".,");
}

std::string Stem(std::string_view name) {
  const size_t slash = name.find_last_of('/');
  std::string_view base = slash == std::string_view::npos ? name : name.substr(slash + 1);
  const size_t dot = base.find_last_of('.');
  if (dot != std::string_view::npos && dot > 0) base = base.substr(0, dot);
  return std::string(base.empty() ? name : base);
}

Result<std::unique_ptr<ConversationReader>> Make(std::unique_ptr<ByteSource> src, Format f) {
  switch (f) {
    case Format::kPan12: return MakePan12Reader(std::move(src));
    case Format::kJsonl: return MakeJsonlReader(std::move(src));
    case Format::kCsv: return MakeCsvReader(std::move(src));
    case Format::kWhatsapp: {
      std::string id = Stem(src->name());
      return MakeWhatsappReader(std::move(src), std::move(id));
    }
  }
  return Internal("unknown chat format");
}

}  // namespace

std::string_view FormatName(Format f) {
  switch (f) {
    case Format::kPan12: return "pan12";
    case Format::kJsonl: return "jsonl";
    case Format::kCsv: return "csv";
    case Format::kWhatsapp: return "whatsapp";
  }
  return "?";
}

Result<Format> ParseFormat(std::string_view name) {
  for (Format f : {Format::kPan12, Format::kJsonl, Format::kCsv, Format::kWhatsapp}) {
    if (name == FormatName(f)) return f;
  }
  return InvalidArgument(fmt::format("unknown chat format '{}': expected {}", name, kFormats));
}

Result<Format> DetectFormat(std::string_view name, std::string_view head) {
  if (auto f = ByExtension(name)) return *f;
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  const size_t first = head.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos) {
    head.remove_prefix(first);
    if (head.starts_with("<")) return Format::kPan12;
    if (head.starts_with("{")) return Format::kJsonl;
    const std::string_view line = head.substr(0, head.find('\n'));
    if (LooksLikeWhatsapp(line)) return Format::kWhatsapp;
    if (AsciiLower(line).find("conversation") != std::string::npos && line.find(',') != std::string_view::npos) {
      return Format::kCsv;
    }
  }
  return InvalidArgument(fmt::format("{}: cannot tell the chat format from its name or first bytes: give it ({})",
                                     name, kFormats));
}

Result<Format> DetectFormat(const std::filesystem::path& path) {
  if (auto f = ByExtension(path.string())) return *f;
  SG_ASSIGN_OR_RETURN(auto src, ByteSource::OpenFile(path));
  std::string head(4096, '\0');
  SG_ASSIGN_OR_RETURN(size_t n, src->Read(head.data(), head.size()));
  head.resize(n);
  return DetectFormat(path.string(), head);
}

Result<std::unique_ptr<ConversationReader>> OpenReader(const std::filesystem::path& path, std::string_view format) {
  Format f;
  if (format.empty()) {
    SG_ASSIGN_OR_RETURN(f, DetectFormat(path));
  } else {
    SG_ASSIGN_OR_RETURN(f, ParseFormat(format));
  }
  SG_ASSIGN_OR_RETURN(auto src, ByteSource::OpenFile(path));
  return Make(std::move(src), f);
}

Result<std::unique_ptr<ConversationReader>> OpenReaderFromString(std::string name, std::string content,
                                                                 std::string_view format) {
  Format f;
  if (format.empty()) {
    SG_ASSIGN_OR_RETURN(f, DetectFormat(name, std::string_view(content).substr(0, 4096)));
  } else {
    SG_ASSIGN_OR_RETURN(f, ParseFormat(format));
  }
  return Make(ByteSource::FromString(std::move(name), std::move(content)), f);
}

Result<FileSummary> ValidateFile(const std::filesystem::path& path, std::string_view format) {
  SG_ASSIGN_OR_RETURN(auto reader, OpenReader(path, format));
  FileSummary sum;
  sum.format = reader->format();
  Conversation c;
  while (true) {
    SG_ASSIGN_OR_RETURN(bool more, reader->Next(c));
    if (!more) break;
    ++sum.conversations;
    sum.messages += c.messages.size();
  }
  return sum;
}

}  // namespace sg::chat
