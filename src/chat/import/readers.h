// The per-format readers behind OpenReader (reader.h); internal to the
// importers. Each takes ownership of its source.
#pragma once

#include <memory>

#include "chat/import/reader.h"
#include "chat/import/source.h"

namespace sg::chat {

std::unique_ptr<ConversationReader> MakePan12Reader(std::unique_ptr<ByteSource> source);
std::unique_ptr<ConversationReader> MakeJsonlReader(std::unique_ptr<ByteSource> source);
std::unique_ptr<ConversationReader> MakeCsvReader(std::unique_ptr<ByteSource> source);
// `id` is the conversation id: the file's stem.
std::unique_ptr<ConversationReader> MakeWhatsappReader(std::unique_ptr<ByteSource> source, std::string id);

// The wall-clock minute of an RFC 3339 text already accepted by
// ParseRfc3339 ("2026-11-29T18:05:00+01:00" -> 18*60+5): before its offset.
int MinuteOfDayRfc3339(std::string_view text);

}  // namespace sg::chat
