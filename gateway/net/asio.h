// One place that includes Asio, so every file sees the same configuration.
#pragma once
#include <utility>  // g++ 12 needs it before Asio in C++20 mode
#define ASIO_NO_DEPRECATED 1
#include <asio.hpp>
#include <asio/ssl.hpp>
