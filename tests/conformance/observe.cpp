#include "observe.h"

#include <atomic>
#include <stdexcept>

namespace conformance {

namespace {

// Keeps the caller's last error across the calls an observation makes.
class last_error_kept {
 public:
  last_error_kept() : saved_(GetLastError()) {}
  ~last_error_kept() { SetLastError(saved_); }
  last_error_kept(const last_error_kept&) = delete;
  last_error_kept& operator=(const last_error_kept&) = delete;

 private:
  DWORD saved_;
};

}  // namespace

HANDLE full_access_duplicate(HANDLE h) {
  HANDLE full = nullptr;
  if (!DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &full, SEMAPHORE_ALL_ACCESS,
                       FALSE, 0))
    return nullptr;
  return full;
}

namespace {

// A poll of the object `h` names through a full-access duplicate:
// WaitForSingleObject(full, 0) answers `unsignaled` on a timeout, and
// `give_back(full)` after a success (which undoes what the wait took and
// reports the state); -1 when `h` is not a live waitable handle.  The last
// error is kept.
template <class T, class GiveBack>
T poll(HANDLE h, T unsignaled, GiveBack give_back) {
  last_error_kept kept;
  HANDLE full = full_access_duplicate(h);
  if (!full) return -1;
  T result = -1;
  switch (WaitForSingleObject(full, 0)) {
    case WAIT_TIMEOUT: result = unsignaled; break;
    case WAIT_OBJECT_0: result = give_back(full); break;
    default: break;  // WAIT_FAILED: not a waitable object
  }
  CloseHandle(full);
  return result;
}

}  // namespace

LONG count_of(HANDLE h) {
  return poll(h, LONG{0}, [](HANDLE full) {
    LONG without_ours = -1;
    return ReleaseSemaphore(full, 1, &without_ours) ? without_ours + 1 : LONG{-1};
  });
}

int signaled_of(HANDLE h) {
  return poll(h, 0, [](HANDLE full) { return SetEvent(full) ? 1 : -1; });
}

std::vector<int> signaled_of(std::initializer_list<HANDLE> handles) {
  std::vector<int> out;
  for (HANDLE h : handles) out.push_back(signaled_of(h));
  return out;
}

std::vector<LONG> counts_of(const std::vector<HANDLE>& handles) {
  std::vector<LONG> out;
  for (HANDLE h : handles) out.push_back(count_of(h));
  return out;
}

std::vector<LONG> counts_of(std::initializer_list<HANDLE> handles) {
  return counts_of(std::vector<HANDLE>(handles));
}

bool maximum_is(HANDLE h, LONG maximum) {
  last_error_kept kept;
  const LONG count = count_of(h);
  if (count < 0 || count > maximum) return false;
  const LONG room = maximum - count;
  if (room > 1000) throw std::invalid_argument("maximum_is: too far above the count to check");
  HANDLE full = full_access_duplicate(h);
  if (!full) return false;
  bool ok = true;
  // Not above: one unit more than the room is refused and changes nothing.
  if (maximum < 0x7FFFFFFF) {
    SetLastError(untouched_error);
    ok = !ReleaseSemaphore(full, room + 1, nullptr) && GetLastError() == ERROR_TOO_MANY_POSTS;
  }
  // Not below: exactly the room is accepted; take it back.
  if (ok && room > 0) {
    ok = ReleaseSemaphore(full, room, nullptr) != FALSE;
    for (LONG i = 0; ok && i < room; ++i) ok = WaitForSingleObject(full, 0) == WAIT_OBJECT_0;
  }
  CloseHandle(full);
  return ok;
}

std::string fresh_name(const char* what) {
  static std::atomic<int> counter{0};
  const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  return std::string("ntsem-conformance-") + what + "-" + std::to_string(now) + "-" +
         std::to_string(++counter);
}

HANDLE with_low_bits(HANDLE h, std::uintptr_t bits) {
  return reinterpret_cast<HANDLE>(reinterpret_cast<std::uintptr_t>(h) | bits);
}

waiting_thread::waiting_thread(std::function<DWORD()> wait)
    : thread_([this, wait = std::move(wait)] {
        calling_ = true;
        result_ = wait();
      }) {}

waiting_thread::~waiting_thread() {
  if (thread_.joinable()) thread_.join();
}

void waiting_thread::wait_until_probably_blocked() const {
  eventually([this] { return calling_.load(); });
  // From "about to call" to "blocked" is a few instructions and one system
  // call; this is hundreds of times longer.
  let_others_run(std::chrono::milliseconds(200));
}

DWORD waiting_thread::join() {
  if (thread_.joinable()) thread_.join();
  return result_;
}

}  // namespace conformance
