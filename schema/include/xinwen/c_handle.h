// Owning handles for the C libraries' objects (ICU, libcurl, libxml2, cmark):
// CHandle<T, free_fn> is a unique_ptr<T> that calls free_fn when it lets go,
// so that every handle is released on every path without a deleter struct
// per type. Move-only, as unique_ptr is.
#pragma once

#include <memory>

namespace xinwen {

// The deleter: calls Free on a non-null pointer.
template <auto Free>
struct FreeWith {
  template <typename T>
  void operator()(T* p) const noexcept {
    Free(p);
  }
};

template <typename T, auto Free>
using CHandle = std::unique_ptr<T, FreeWith<Free>>;

}  // namespace xinwen
