// MIME parsing throughput on one core: every message of a corpus directory, loaded into
// memory first, parsed `rounds` times; prints the median messages/s and MB/s.
//   build/bench/mime_parse [DIR] [ROUNDS]   (default: ../shared/corpora/spamassassin-public-corpus, 5)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gateway/mime/message.h"

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : PORTCULLIS_SHARED_DIR "/corpora/spamassassin-public-corpus";
  const int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
  std::vector<std::string> messages;
  size_t bytes = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    const auto name = e.path().filename().string();
    if (name == "labels.tsv" || name == "LICENSE" || name == "NOTICE" || name.ends_with(".md")) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    messages.push_back(ss.str());
    bytes += messages.back().size();
  }
  if (messages.empty()) {
    std::fprintf(stderr, "no messages under %s\n", dir.c_str());
    return 1;
  }
  std::vector<double> seconds;
  size_t sink = 0;
  for (int r = 0; r < rounds; ++r) {
    auto start = std::chrono::steady_clock::now();
    for (const auto& m : messages) sink += portcullis::mime::parseMessage(m).partCount;
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    std::printf("round %d: %.3f s\n", r + 1, seconds.back());
  }
  std::sort(seconds.begin(), seconds.end());
  const double median = seconds[seconds.size() / 2];
  std::printf("%zu messages, %.1f MB, %d rounds (parts seen %zu)\n", messages.size(), bytes / 1e6, rounds, sink / rounds);
  std::printf("median %.0f messages/s, %.1f MB/s on one core\n", messages.size() / median, bytes / 1e6 / median);
  return 0;
}
