/*
 * For a short-lived command whose only work is one request to a local daemon: node:tty (for
 * isatty) and node:net load the stream modules and answer through the event loop, a few
 * milliseconds a command; these are isatty(3), connect(2), send(2) and recv(2).
 *
 * isTerminal(fd) -> boolean.
 * unixExchange(path, request: Buffer, timeoutMs) -> Buffer: one request and its whole answer over
 * a Unix stream socket, blocking, under one deadline (everything read until the peer closed).
 * Throws errors like Node's (code, errno, syscall); ETIMEDOUT past the deadline.
 */
#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <node_api.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "client.h"

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until fd is ready for events or the deadline passes: 0, or an errno (ETIMEDOUT). */
static int wait_ready(int fd, short events, int64_t deadline) {
  for (;;) {
    int64_t left = deadline - now_ms();
    if (left <= 0) return ETIMEDOUT;
    struct pollfd pfd = {.fd = fd, .events = events, .revents = 0};
    int rc = poll(&pfd, 1, (int)left);
    if (rc > 0) return 0;
    if (rc == 0) return ETIMEDOUT;
    if (errno != EINTR) return errno;
  }
}

/*
 * Connects without blocking past the deadline. A non-blocking Unix connect completes at once or
 * fails; EAGAIN means the listener's backlog is full.
 */
static int connect_by(int fd, const struct sockaddr_un *addr, int64_t deadline) {
  for (;;) {
    if (connect(fd, (const struct sockaddr *)addr, sizeof(*addr)) == 0) return 0;
    if (errno == EINTR) continue;
    if (errno != EAGAIN) return errno;
    /* Try again shortly, until the deadline. */
    if (now_ms() >= deadline) return ETIMEDOUT;
    struct timespec pause = {.tv_sec = 0, .tv_nsec = 1000000};
    nanosleep(&pause, NULL);
  }
}

static int send_all(int fd, const char *data, size_t length, int64_t deadline) {
  size_t sent = 0;
  while (sent < length) {
    ssize_t n = send(fd, data + sent, length - sent, MSG_NOSIGNAL);
    if (n >= 0) {
      sent += (size_t)n;
      continue;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN) return errno;
    int err = wait_ready(fd, POLLOUT, deadline);
    if (err) return err;
  }
  return 0;
}

static int read_to_end(int fd, bytes_t *out, int64_t deadline) {
  for (;;) {
    int grown = bytes_reserve(out, 65536);
    if (grown) return grown;
    ssize_t n = recv(fd, out->data + out->length, out->capacity - out->length, 0);
    if (n > 0) {
      out->length += (size_t)n;
      continue;
    }
    if (n == 0) return 0;
    if (errno == EINTR) continue;
    if (errno != EAGAIN) return errno;
    int err = wait_ready(fd, POLLIN, deadline);
    if (err) return err;
  }
}

static napi_value unix_exchange(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  struct sockaddr_un addr;
  void *request = NULL;
  size_t request_length = 0;
  int64_t timeout_ms = 0;
  bool is_buffer = false;
  int bad = argc < 3 ? EINVAL : unix_address(env, argv[0], &addr);
  if (bad == EINVAL || napi_is_buffer(env, argv[1], &is_buffer) != napi_ok || !is_buffer ||
      napi_get_buffer_info(env, argv[1], &request, &request_length) != napi_ok ||
      napi_get_value_int64(env, argv[2], &timeout_ms) != napi_ok || timeout_ms <= 0) {
    napi_throw_type_error(env, NULL, "unixExchange(path: string, request: Buffer, timeoutMs: number > 0)");
    return NULL;
  }
  if (bad) return throw_errno(env, bad, "connect");
  int64_t deadline = now_ms() + timeout_ms;
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, errno, "socket");
  const char *step = "connect";
  int err = connect_by(fd, &addr, deadline);
  if (!err) {
    step = "write";
    err = send_all(fd, request, request_length, deadline);
  }
  bytes_t answer = {NULL, 0, 0};
  if (!err) {
    step = "read";
    err = read_to_end(fd, &answer, deadline);
  }
  close(fd);
  if (err) {
    free(answer.data);
    return throw_errno(env, err, step);
  }
  napi_value result;
  napi_status status = napi_create_buffer_copy(env, answer.length, answer.data, NULL, &result);
  free(answer.data);
  return status == napi_ok ? result : NULL;
}

static napi_value is_terminal(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t fd = -1;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || napi_get_value_int32(env, argv[0], &fd) != napi_ok) {
    napi_throw_type_error(env, NULL, "isTerminal(fd: number)");
    return NULL;
  }
  napi_value result;
  CHECK(napi_get_boolean(env, fd >= 0 && isatty(fd) == 1, &result));
  return result;
}

napi_status client_define(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"isTerminal", NULL, is_terminal, NULL, NULL, NULL, napi_enumerable, NULL},
      {"unixExchange", NULL, unix_exchange, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  return napi_define_properties(env, exports, sizeof(properties) / sizeof(properties[0]), properties);
}
