// Client access list files: any text loads or yields errors with line numbers.
#include <cstdint>
#include <string_view>

#include "gateway/checks/cidr_table.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto r = portcullis::checks::CidrTable::parse(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
  if (auto* t = std::get_if<portcullis::checks::CidrTable>(&r)) {
    auto a = portcullis::core::IpAddress::parse("192.0.2.1");
    t->find(*a);
  } else {
    for (const auto& e : std::get<std::vector<portcullis::core::SourceError>>(r))
      if (e.line <= 0) __builtin_trap();
  }
  return 0;
}
