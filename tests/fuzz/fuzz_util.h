// Shared by the fuzz targets in this folder: the libFuzzer entry point they
// each define, and helpers to view the input as text. Header-only; every
// target is single-threaded except the HTTP one, which keeps its own state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace xinwen::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace xinwen::fuzz
