#include "net/http_listener.h"

#include <sys/socket.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

namespace agenthub::net {
namespace {

// httplib's own ThreadPool queues connections without limit; this one makes
// the accept loop wait when `max_pending` connections are already waiting.
// (A connection cannot be refused from here: the task owns its socket and
// closes it, so it must run.)
class BoundedPool : public httplib::TaskQueue {
 public:
  BoundedPool(size_t workers, size_t max_pending) : max_pending_(max_pending) {
    for (size_t i = 0; i < workers; ++i) threads_.emplace_back([this] { Work(); });
  }

  void enqueue(std::function<void()> fn) override {
    std::unique_lock lock(mu_);
    space_cv_.wait(lock, [&] { return tasks_.size() < max_pending_ || shutdown_; });
    tasks_.push_back(std::move(fn));
    work_cv_.notify_one();
  }

  void shutdown() override {
    {
      std::lock_guard lock(mu_);
      shutdown_ = true;
    }
    work_cv_.notify_all();
    space_cv_.notify_all();
    for (auto& t : threads_) t.join();
  }

 private:
  void Work() {
    for (;;) {
      std::function<void()> fn;
      {
        std::unique_lock lock(mu_);
        work_cv_.wait(lock, [&] { return !tasks_.empty() || shutdown_; });
        if (tasks_.empty()) return;  // shut down and drained
        fn = std::move(tasks_.front());
        tasks_.pop_front();
      }
      space_cv_.notify_one();
      fn();
    }
  }

  const size_t max_pending_;
  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable space_cv_;
  std::deque<std::function<void()>> tasks_;
  bool shutdown_ = false;
  std::vector<std::thread> threads_;
};

// Only SO_REUSEADDR: httplib's default adds SO_REUSEPORT, which would let a
// second collector bind a busy port silently instead of failing.
void ExclusivePort(int sock) {
  int yes = 1;
  setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
}

}  // namespace

HttpListener::HttpListener(HttpListenerOptions options)
    : options_(std::move(options)), server_(std::make_unique<httplib::Server>()) {
  const size_t workers = std::max<size_t>(options_.workers, 1);
  const size_t pending = std::max<size_t>(options_.max_pending_connections, 1);
  server_->new_task_queue = [workers, pending] { return new BoundedPool(workers, pending); };
  server_->set_socket_options(ExclusivePort);
  server_->set_tcp_nodelay(true);
  server_->set_read_timeout(options_.read_timeout.count(), 0);
  server_->set_write_timeout(options_.write_timeout.count(), 0);
  server_->set_keep_alive_timeout(options_.keep_alive_timeout.count());
}

HttpListener::~HttpListener() { Stop(); }

std::string HttpListener::Start() {
  const std::string where = options_.host + ":" + std::to_string(options_.port);
  errno = 0;
  int port = options_.port;
  bool bound;
  if (port == 0) {
    port = server_->bind_to_any_port(options_.host);
    bound = port > 0;
  } else {
    bound = server_->bind_to_port(options_.host, port);
  }
  if (!bound) {
    const int err = errno;
    return "cannot listen on " + where + ": " +
           (err != 0 ? std::strerror(err) : "cannot bind (invalid address?)");
  }
  port_ = port;
  listener_ = std::thread([this] {
    server_->listen_after_bind();
    listener_done_ = true;
  });
  // httplib's stop() does nothing until the accept loop runs; wait for it
  // so that an immediate Stop() is not lost.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!server_->is_running() && !listener_done_ && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!server_->is_running()) {
    Stop();
    return "cannot listen on " + where + ": the accept loop did not start";
  }
  return {};
}

void HttpListener::Stop() {
  if (!listener_.joinable()) return;
  server_->stop();
  listener_.join();
}

}  // namespace agenthub::net
