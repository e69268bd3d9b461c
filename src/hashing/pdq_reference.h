// The slow, obvious PDQ: a direct transcription of the published algorithm
// with two full-size float buffers. Kept beside the fast path so tests can
// check one against the other on random images (habit 6 of ARCHITECTURE.md).
#pragma once

#include <span>

#include "hashing/pdq.h"

namespace sg::hashing {

PdqResult ComputePdqReference(std::span<const float> luma, int rows, int cols);
PdqDihedralResult ComputePdqDihedralReference(std::span<const float> luma, int rows, int cols);

}  // namespace sg::hashing
