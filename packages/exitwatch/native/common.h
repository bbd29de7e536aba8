#ifndef USRSVC_COMMON_H
#define USRSVC_COMMON_H
/* What the addon's C files share: N-API error handling, promises of thread-pool work, growing
 * byte buffers, Unix socket addresses and calling back into JS. */
#include <node_api.h>
#include <uv.h>

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#define CHECK(call)                          \
  do {                                       \
    if ((call) != napi_ok) return NULL;      \
  } while (0)

/* An Error like Node's own system errors: code (EBADF...), errno, syscall; NULL if N-API failed. */
static inline napi_value errno_error(napi_env env, int err, const char *syscall_name) {
  napi_value code, message, error, number, name;
  CHECK(napi_create_string_utf8(env, uv_err_name(uv_translate_sys_error(err)), NAPI_AUTO_LENGTH, &code));
  CHECK(napi_create_string_utf8(env, uv_strerror(uv_translate_sys_error(err)), NAPI_AUTO_LENGTH, &message));
  CHECK(napi_create_error(env, code, message, &error));
  CHECK(napi_create_int32(env, err, &number));
  CHECK(napi_set_named_property(env, error, "errno", number));
  CHECK(napi_create_string_utf8(env, syscall_name, NAPI_AUTO_LENGTH, &name));
  CHECK(napi_set_named_property(env, error, "syscall", name));
  return error;
}

/* Throws errno_error(...). Returns NULL. */
static inline napi_value throw_errno(napi_env env, int err, const char *syscall_name) {
  napi_value error = errno_error(env, err, syscall_name);
  if (error) napi_throw(env, error);
  return NULL;
}

/* A growing run of bytes; its owner frees data. */
typedef struct {
  char *data;
  size_t length;
  size_t capacity;
} bytes_t;

/* Room for at least `more` bytes past length (doubling, from 64 kB): 0, or ENOMEM (nothing lost). */
static inline int bytes_reserve(bytes_t *bytes, size_t more) {
  if (bytes->capacity - bytes->length >= more) return 0;
  size_t capacity = bytes->capacity ? bytes->capacity : 65536;
  while (capacity - bytes->length < more) capacity *= 2;
  char *grown = realloc(bytes->data, capacity);
  if (!grown) return ENOMEM;
  bytes->data = grown;
  bytes->capacity = capacity;
  return 0;
}

/*
 * A Promise that `complete` settles through *deferred once `execute` has run on libuv's thread
 * pool; NULL when it cannot be queued (nothing will run, the caller frees `data`).
 */
static inline napi_value queue_promise_work(napi_env env, const char *name, napi_async_execute_callback execute,
                                            napi_async_complete_callback complete, void *data, napi_async_work *work,
                                            napi_deferred *deferred) {
  napi_value promise, resource_name;
  if (napi_create_promise(env, deferred, &promise) != napi_ok ||
      napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &resource_name) != napi_ok ||
      napi_create_async_work(env, NULL, resource_name, execute, complete, data, work) != napi_ok ||
      napi_queue_async_work(env, *work) != napi_ok) {
    return NULL;
  }
  return promise;
}

/* A Unix socket address from a JS string: 0, EINVAL (not a string) or ENAMETOOLONG. */
static inline int unix_address(napi_env env, napi_value path, struct sockaddr_un *addr) {
  memset(addr, 0, sizeof(*addr));
  addr->sun_family = AF_UNIX;
  size_t length = 0;
  if (napi_get_value_string_utf8(env, path, addr->sun_path, sizeof(addr->sun_path), &length) != napi_ok) return EINVAL;
  return length >= sizeof(addr->sun_path) - 1 ? ENAMETOOLONG : 0;
}

/*
 * Calls callback(status) from the event loop (inside a handle scope the caller opened).
 * napi_make_callback, not napi_call_function: it drains the microtask and nextTick queues
 * afterwards, as every callback from the event loop does. A throw becomes an
 * 'uncaughtException', like a throwing timer.
 */
static inline void call_back(napi_env env, napi_async_context async, napi_value callback, int32_t status) {
  napi_value recv, arg, result;
  if (!callback || napi_get_global(env, &recv) != napi_ok || napi_create_int32(env, status, &arg) != napi_ok) return;
  napi_make_callback(env, async, recv, callback, 1, &arg, &result);
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (pending) {
    napi_value error;
    napi_get_and_clear_last_exception(env, &error);
    napi_fatal_exception(env, error);
  }
}

#endif
