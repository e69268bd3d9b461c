// Streaming chat-log importers: one ConversationReader per file, yielding one
// conversation at a time, so a multi-GB log is read in memory bounded by its
// largest conversation (plus a 64 KiB read buffer). Formats (README.md gives
// them exactly): "pan12" (PAN-2012 XML), "jsonl" (JSON lines), "csv" (CSV
// with a header) and "whatsapp" (WhatsApp's exported chat text).
//
// Errors. Malformed input gives an InvalidArgument Status "FILE:LINE: reason"
// when the reader reaches it: conversations yielded before it were good, but
// the file as a whole is not. A caller that must not act on half a file
// (storage, ChatStore::SaveLog) either buffers until Next returns false or
// runs ValidateFile first (one cheap pass, nothing kept). After an error,
// Next returns the same error again. Invalid UTF-8 is not an error: it is
// replaced with U+FFFD.
//
// Who may call: the chat analysis, the CLI and the API (attach a log).
// Thread safety: a reader belongs to one thread at a time; distinct readers
// are independent. A reader owns its file handle.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "chat/conversation.h"
#include "core/result.h"

namespace sg::chat {

enum class Format { kPan12, kJsonl, kCsv, kWhatsapp };

std::string_view FormatName(Format f);  // "pan12", "jsonl", "csv", "whatsapp"
// Parses a format name (exactly as FormatName prints it).
Result<Format> ParseFormat(std::string_view name);

class ConversationReader {
 public:
  virtual ~ConversationReader() = default;
  // Replaces `out` with the next conversation: true; false at the end of the
  // file; or the error "FILE:LINE: reason". A yielded conversation has at
  // least one message, its messages in file order, and `source` set to the
  // file name. JSON lines and CSV: a conversation is a run of consecutive
  // records with the same id, so an id that reappears later in the file is
  // yielded again as a further chunk with the same id (merge by id).
  virtual Result<bool> Next(Conversation& out) = 0;
  virtual Format format() const = 0;
};

// The format of a file: by its extension (.xml pan12, .jsonl/.ndjson jsonl,
// .csv csv, .txt whatsapp), else by its first bytes; an error when neither
// tells.
Result<Format> DetectFormat(const std::filesystem::path& path);
// The same for content in memory (`name` gives the extension, may be "").
Result<Format> DetectFormat(std::string_view name, std::string_view head);

// Opens `path` as `format` ("pan12", "jsonl", "csv", "whatsapp"), or detects
// it when `format` is "".
Result<std::unique_ptr<ConversationReader>> OpenReader(const std::filesystem::path& path,
                                                       std::string_view format = "");
// The same over content in memory (API bodies, tests, fuzzers); `name` is
// used in error messages and, for WhatsApp, as the conversation id (its stem).
Result<std::unique_ptr<ConversationReader>> OpenReaderFromString(std::string name, std::string content,
                                                                 std::string_view format = "");

struct FileSummary {
  Format format = Format::kJsonl;
  uint64_t conversations = 0;  // chunks, as Next yields them
  uint64_t messages = 0;
};
// Reads the whole file through once, keeping nothing: its first error, or
// what it holds.
Result<FileSummary> ValidateFile(const std::filesystem::path& path, std::string_view format = "");

}  // namespace sg::chat
