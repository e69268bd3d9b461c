# Third-party libraries, all from Debian 12 packages (scripts/install-deps).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(JPEG REQUIRED)
find_package(PNG REQUIRED)
find_package(GIF REQUIRED)
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
find_package(Boost 1.81.0 CONFIG REQUIRED COMPONENTS json)
pkg_check_modules(WEBP REQUIRED IMPORTED_TARGET libwebp)
pkg_check_modules(HEIF REQUIRED IMPORTED_TARGET libheif)
find_package(SQLite3 REQUIRED)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
# Chat: Vectorscan (Hyperscan's portable fork) matches the indicator lexicon;
# utf8proc does NFKC and case folding.
pkg_check_modules(HS REQUIRED IMPORTED_TARGET libhs)
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)
# Chat: expat streams the PAN-2012 XML logs (multi-GB) without building a tree.
pkg_check_modules(EXPAT REQUIRED IMPORTED_TARGET expat)
# Linking: igraph's connected components and Leiden communities.
pkg_check_modules(IGRAPH REQUIRED IMPORTED_TARGET igraph)
