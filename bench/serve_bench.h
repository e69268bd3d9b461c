// serve_bench: the pieces of the intake-server benchmark (bench/serve_bench.cc
// has the command line). Not a library: bench code only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sg::bench {

// `count` synthetic, benign report bodies (JSON text, ready to POST):
// generated names, example.com addresses, 07700 900xxx phones,
// documentation IP addresses, one to three files with random hashes, a
// short non-explicit chat showing grooming indicators only. Deterministic
// for a seed.
std::vector<std::string> SyntheticReports(size_t count, uint64_t seed);

// Latencies and rate of one measured window.
struct Measured {
  uint64_t reports = 0;  // completed inside the window
  uint64_t errors = 0;   // answers other than 201, or connection errors
  double seconds = 0;
  double p50_ms = 0, p99_ms = 0;
  std::string first_error;
  double per_second() const { return seconds > 0 ? static_cast<double>(reports) / seconds : 0; }
};

struct LoadOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  std::string token;
  int clients = 1;
  int threads = 1;  // client I/O threads (the load generator shares the cores with the server)
  double warmup_s = 2, measure_s = 10;
};

// N keep-alive connections, each POSTing /api/v1/reports back to back (one
// request in flight per connection), each request with its own
// Idempotency-Key as a platform would send. Reports completed between
// warmup_s and warmup_s + measure_s count; latency is from the first byte
// written to the whole answer read.
Measured RunHttpLoad(const LoadOptions& options, const std::vector<std::string>& bodies);

}  // namespace sg::bench
