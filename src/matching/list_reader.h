// Readers for the hash-list import formats. Each streams its input and calls
// a sink once per entry, in file order, with the line the entry starts on.
// A malformed line or field stops the read with "FILE:LINE: reason"; the
// caller (ListStore::Import) runs the whole read inside one transaction, so
// a failed import adds nothing.
//
//   vics    Project VIC VICS JSON, v1.3 ("odata.metadata") and v2.0
//           ("@odata.context"): value[] of Media objects (MD5, SHA1,
//           Category, Series, VictimIdentified, ...), or of Case objects
//           holding Media[]. Other scalar fields are kept as metadata.
//   csv     a header naming any of md5, sha1, sha256, pdq, category, series,
//           victim_identified, label; other columns are kept as metadata.
//   te      ThreatExchange-style "pdq <hex>" lines (md5/sha1/sha256 too).
//   hex     one 64-hex PDQ hash per line, optional ",label".
//   md5, sha1, sha256: one 32/40/64-hex hash per line, optional ",label".
// Blank lines and lines starting with '#' are skipped in the line formats.
#pragma once

#include <functional>

#include "matching/line_source.h"
#include "matching/list_types.h"

namespace sg::matching {

// Returns a bare reason (no file or line): the reader adds "FILE:LINE: ".
using EntrySink = std::function<Status(ListEntry&& entry, int64_t line)>;

Status ReadList(ListFormat format, LineSource& source, const EntrySink& sink);

// The formats, one per file.
Status ReadVics(LineSource& source, const EntrySink& sink);
Status ReadCsvList(LineSource& source, const EntrySink& sink);
Status ReadLineList(ListFormat format, LineSource& source, const EntrySink& sink);

}  // namespace sg::matching
