// The PostgreSQL backend: a unit's shared server, reached through libpq
// (`--db postgresql://user@host:port/db`). Several `safeguard serve`
// processes may share one database; a connection keeps no state that another
// process needs.
//
// How it maps the Connection interface:
// - SQL is written with `?` placeholders; they become $1..$n (never inside
//   quoted strings, quoted identifiers, comments or dollar quotes). A `?` is
//   always a placeholder elsewhere: the jsonb `?` operators are not usable.
// - Prepare() prepares on the server once per distinct SQL text and
//   connection (a small cache), so Prepare-once/Bind-many and repeated
//   Prepare of the same text both cost one round trip per execution.
// - Rows are streamed (libpq's single-row mode): a large SELECT is never held
//   in memory whole. If another statement needs the connection while a
//   SELECT still has rows, the rest of those rows is buffered first.
// - Values travel as text; Int()/Real() parse the server's text form.
//   PostgreSQL text cannot hold a NUL byte: binding one is kInvalidArgument.
// - BeginWrite is BEGIN plus a transaction-level advisory lock per schema:
//   write transactions are serialised as SQLite serialises them, so code
//   written against one backend (read, then write) is correct on the other.
//   Readers are never blocked. Lock waits give up after 10 s (kIoError), as
//   SQLite's busy timeout does.
// - Unlike SQLite, a failed statement inside a transaction aborts it: Commit
//   then rolls back and returns an error.
// - Errors: a unique (or other constraint) violation is kAlreadyExists, as
//   with SQLite; a lost or refused connection, a lock timeout or a full disk
//   is kIoError; bad text or numbers are kInvalidArgument; anything else is
//   kInternal. Messages carry the server's message and the SQL.
// - Describe() and every message give the URL without its password.
//
// Thread safety: as database.h, one thread at a time per connection.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "store/database.h"

namespace sg::store {

// Connects (10 s timeout unless the URL sets connect_timeout). `url` is a
// libpq URI (postgresql:// or postgres://) or key=value string.
Result<std::unique_ptr<Connection>> OpenPostgres(const std::string& url);

// `url` with any password removed (from the user-info part and from a
// `password=` parameter). For messages and Describe().
std::string RedactPostgresUrl(std::string_view url);

// `?` placeholders to $1..$n, outside quotes and comments. `count` receives n.
std::string TranslatePlaceholders(std::string_view sql, int* count);

}  // namespace sg::store
