#include "gateway/quarantine/release.h"

#include <unistd.h>

#include <chrono>
#include <optional>

#include "gateway/core/headers.h"
#include "gateway/core/log.h"
#include "gateway/core/metrics.h"
#include "gateway/net/off_loop.h"
#include "gateway/proxy/proxy_session.h"
#include "gateway/smtp/command.h"

namespace portcullis::quarantine {

namespace {
core::metrics::Counter& releases(const char* result) {
  return core::metrics::Registry::instance().counter("portcullis_quarantine_releases_total",
                                                     "Quarantine releases by result",
                                                     {{"result", result}});
}
}  // namespace

asio::awaitable<ReleaseResult> release(const QuarantineStore& store, std::string id,
                                       const config::Config& config, proxy::SharedState& shared,
                                       std::string who) {
  ReleaseResult out;
  auto load = [&store, id] { return store.read(id); };
  auto held = co_await net::offLoop(shared.filePool, std::move(load));
  if (!held) {
    out.detail = "no quarantined message " + id;
    co_return out;
  }
  const Entry& e = held->entry;

  core::Transaction tx;
  tx.id = e.id;
  std::string why;
  auto from = smtp::parseAddressText(e.mailFrom, true, &why);
  if (!from) {
    out.detail = "stored sender <" + e.mailFrom + "> unusable: " + why;
    co_return out;
  }
  tx.mailFrom = *from;
  tx.body8bit = e.body8bit;
  tx.smtputf8 = e.smtputf8;
  tx.message = std::move(held->message);
  // The original client, so that XCLIENT/XFORWARD tell the downstream who really sent it.
  core::SessionInfo session;
  session.id = e.id;
  session.clientIp = core::IpAddress::parse(e.client);
  session.helo = e.helo;
  session.esmtp = true;

  auto ds = proxy::makeDownstream(co_await asio::this_coro::executor, config, shared);
  core::Reply r = co_await ds->mail(session, tx);
  if (!r.positive()) {
    out.detail = "downstream refused MAIL FROM: " + r.summary();
    co_await ds->quit();
    releases("failed").add();
    co_return out;
  }
  for (const auto& rc : e.recipients) {
    auto addr = smtp::parseAddressText(rc, false, &why);
    if (!addr) {
      out.refusedRecipients.push_back(rc + ": unusable address: " + why);
      continue;
    }
    core::Reply rr = co_await ds->rcpt(*addr);
    if (rr.positive())
      tx.recipients.push_back({*addr, rr});
    else
      out.refusedRecipients.push_back(rc + ": " + rr.summary());
  }
  if (tx.recipients.empty()) {
    out.detail = "downstream refused every recipient";
    co_await ds->reset();
    co_await ds->quit();
    releases("failed").add();
    co_return out;
  }
  const std::string prepend = core::formatHeader(
      {"X-Portcullis-Released", "by " + who + " on " + config.hostname + "; " +
                                    core::rfc5322Date(std::chrono::system_clock::now())});
  r = co_await ds->data(tx, prepend);
  co_await ds->quit();
  out.detail = r.summary();
  if (!r.positive()) {
    releases("failed").add();
    co_return out;
  }
  if (!out.refusedRecipients.empty()) {
    // Delivered to some: kept for the others only, so a second release sends no duplicates.
    std::vector<std::string> rest;
    for (const auto& rc : e.recipients) {
      bool delivered = false;
      for (const auto& d : tx.recipients) delivered = delivered || d.address.str() == rc;
      if (!delivered) rest.push_back(rc);
    }
    auto keep = [&store, id, rest] { return store.keepRecipients(id, rest); };
    co_await net::offLoop(shared.filePool, std::move(keep));
    releases("partial").add();
    core::log::warn("quarantine " + e.id + " released by " + who + " to " +
                    std::to_string(tx.recipients.size()) + " of " +
                    std::to_string(e.recipients.size()) + " recipients; kept");
    co_return out;
  }
  auto removeIt = [&store, id] { return store.remove(id); };
  co_await net::offLoop(shared.filePool, std::move(removeIt));
  out.released = true;
  releases("released").add();
  core::log::info("quarantine " + e.id + " released by " + who + ": " + r.summary());
  co_return out;
}

}  // namespace portcullis::quarantine
