// Exporters: a list's live entries as VICS JSON (v2.0 form, readable by
// ReadVics) or CSV (readable by ReadCsvList), streamed to a FILE*, so an
// export round-trips through import.
#pragma once

#include <cstdio>

#include "matching/list_store.h"

namespace sg::matching {

Status ExportList(ListStore& lists, const std::string& name, ListFormat format, std::FILE* out);

}  // namespace sg::matching
