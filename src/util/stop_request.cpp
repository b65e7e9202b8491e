#include "util/stop_request.hpp"

#include <chrono>

namespace migrate {

namespace {

/// How long a cancel gets to take effect before it is sent again.
constexpr std::chrono::milliseconds kCancelAgain{200};

}  // namespace

StopRequest::Scope::Scope(StopRequest& request, std::function<void()> cancel) : m_request(request) {
  std::lock_guard lock(m_request.m_mutex);
  m_request.m_cancel = std::move(cancel);
  ++m_request.m_scopes;
}

StopRequest::Scope::~Scope() {
  {
    std::lock_guard lock(m_request.m_mutex);
    m_request.m_cancel = nullptr;
  }
  m_request.m_scope_ended.notify_all();
}

void StopRequest::request(std::string reason) {
  std::unique_lock lock(m_mutex);
  if (m_requested) {
    return;
  }
  m_requested = true;
  m_reason = std::move(reason);
  // Only the scope open now: whoever opens one later sees requested() and runs nothing. Its
  // cancel is called under the lock, so the scope, and what the cancel reaches, cannot end
  // meanwhile.
  const std::uint64_t scope = m_scopes;
  auto ended = [&] { return !m_cancel || m_scopes != scope; };
  while (!ended()) {
    m_cancel();
    m_scope_ended.wait_for(lock, kCancelAgain, ended);
  }
}

bool StopRequest::requested() const {
  std::lock_guard lock(m_mutex);
  return m_requested;
}

std::string StopRequest::reason() const {
  std::lock_guard lock(m_mutex);
  return m_reason;
}

}  // namespace migrate
