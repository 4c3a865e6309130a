#include <catch2/catch.hpp>

#include "tests/unit/evals/mime_eval_fixture.h"

using portcullis::content::evals::testing::runEval;

namespace {
// A base64 image part named `name` in a mixed message.
std::string withImage(const std::string& type, const std::string& base64,
                      const std::string& name = "pic") {
  return "From: a@b.c\nSubject: s\nContent-Type: multipart/mixed; boundary=q\n\n--q\n"
         "Content-Type: text/plain\n\nsome text\n--q\nContent-Type: " +
         type + "; name=\"" + name + "\"\nContent-Transfer-Encoding: base64\n\n" + base64 +
         "\n--q--\n";
}
// GIF89a 300x200 (width, height little-endian) and a PNG IHDR 640x480.
const std::string kGif = "R0lGODlhLAHIAIAAAP///wAAACwAAAAAAQABAAACAkQBADs=";
const std::string kPng = "iVBORw0KGgoAAAANSUhEUgAAAoAAAAHgCAIAAAA=";
const std::string kJpeg = "/9j/4AAQSkZJRgABAQAAAQABAAD/wAARCAAyAGQDASIAAhEBAxEB";
}  // namespace

TEST_CASE("pixel_coverage", "[evals][mime]") {
  CHECK(runEval("pixel_coverage", withImage("image/gif", kGif), {"gif", "60000", "60000"}) == 1);
  CHECK(runEval("pixel_coverage", withImage("image/png", kPng), {"png", "180000", "475000"}) == 1);
  CHECK(runEval("pixel_coverage", withImage("image/gif", kGif), {"gif", "180000", "475000"}) == 0);
}
