/*
 * The sd_notify socket: a Unix datagram socket with SO_PASSCRED, so every datagram carries the
 * sender's pid, uid and gid as the kernel saw them (SCM_CREDENTIALS). Node has neither datagram
 * Unix sockets nor ancillary data. The socket is non-blocking; a uv_poll_t on Node's loop calls
 * back when it is readable (nothing runs while it is idle), and JS drains it with recv().
 *
 * Exports: notifyBind(path) -> fd; notifyRecv(fd) -> null | {pid, uid, gid, size, data};
 * notifyWatch(fd, callback, keepAlive) -> handle; notifyUnwatch(handle). The fd is closed by
 * JS (fs.closeSync) after notifyUnwatch.
 */
#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <node_api.h>
#include <uv.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common.h"
#include "notify.h"

#define NOTIFY_MAX 4096

typedef struct {
  uv_poll_t poll;
  napi_env env;
  napi_ref callback;
  napi_async_context async;
  int closing;
  int owners;
} notify_watch_t;

/* Binds a datagram socket at path (an old socket file there is replaced), mode 0600. */
static napi_value notify_bind(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  struct sockaddr_un addr;
  int bad = argc < 1 ? EINVAL : unix_address(env, argv[0], &addr);
  if (bad == EINVAL) {
    napi_throw_type_error(env, NULL, "notifyBind(path: string)");
    return NULL;
  }
  if (bad) return throw_errno(env, bad, "bind");
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, errno, "socket");
  int on = 1;
  if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)) != 0) {
    int err = errno;
    close(fd);
    return throw_errno(env, err, "setsockopt SO_PASSCRED");
  }
  struct stat st;
  if (lstat(addr.sun_path, &st) == 0 && S_ISSOCK(st.st_mode)) unlink(addr.sun_path);
  mode_t old = umask(0177);
  int rc = bind(fd, (struct sockaddr *)&addr, sizeof(addr));
  int err = errno;
  umask(old);
  if (rc != 0) {
    close(fd);
    return throw_errno(env, err, "bind");
  }
  napi_value result;
  CHECK(napi_create_int32(env, fd, &result));
  return result;
}

/* One datagram, or null when none is waiting. size is its full length (data is cut at 4096). */
static napi_value notify_recv(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t fd = -1;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0) {
    napi_throw_type_error(env, NULL, "notifyRecv(fd)");
    return NULL;
  }
  char data[NOTIFY_MAX];
  union {
    struct cmsghdr align;
    char buffer[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(sizeof(int) * 16)];
  } control;
  struct iovec iov = {.iov_base = data, .iov_len = sizeof(data)};
  struct msghdr msg;
  memset(&msg, 0, sizeof(msg));
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.buffer;
  msg.msg_controllen = sizeof(control.buffer);
  ssize_t size;
  do {
    size = recvmsg(fd, &msg, MSG_DONTWAIT | MSG_TRUNC | MSG_CMSG_CLOEXEC);
  } while (size < 0 && errno == EINTR);
  if (size < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      napi_value null_value;
      CHECK(napi_get_null(env, &null_value));
      return null_value;
    }
    return throw_errno(env, errno, "recvmsg");
  }
  int32_t pid = -1, uid = -1, gid = -1;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS && c->cmsg_len >= CMSG_LEN(sizeof(struct ucred))) {
      struct ucred cred;
      memcpy(&cred, CMSG_DATA(c), sizeof(cred));
      pid = cred.pid;
      uid = (int32_t)cred.uid;
      gid = (int32_t)cred.gid;
    } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
      /* Descriptors passed along (FDSTORE) are not kept: close them. */
      int count = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
      for (int i = 0; i < count; i++) {
        int passed;
        memcpy(&passed, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
        close(passed);
      }
    }
  }
  napi_value result, value;
  CHECK(napi_create_object(env, &result));
  CHECK(napi_create_int32(env, pid, &value));
  CHECK(napi_set_named_property(env, result, "pid", value));
  CHECK(napi_create_int32(env, uid, &value));
  CHECK(napi_set_named_property(env, result, "uid", value));
  CHECK(napi_create_int32(env, gid, &value));
  CHECK(napi_set_named_property(env, result, "gid", value));
  CHECK(napi_create_int64(env, (int64_t)size, &value));
  CHECK(napi_set_named_property(env, result, "size", value));
  size_t kept = (size_t)size < sizeof(data) ? (size_t)size : sizeof(data);
  CHECK(napi_create_string_latin1(env, data, kept, &value));
  CHECK(napi_set_named_property(env, result, "data", value));
  return result;
}

static void release(notify_watch_t *w) {
  if (--w->owners == 0) free(w);
}

static void on_closed(uv_handle_t *handle) { release((notify_watch_t *)handle->data); }

static void on_collected(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  release((notify_watch_t *)data);
}

static void stop(notify_watch_t *w) {
  if (w->closing) return;
  w->closing = 1;
  uv_close((uv_handle_t *)&w->poll, on_closed);
  if (w->callback) napi_delete_reference(w->env, w->callback);
  w->callback = NULL;
  if (w->async) napi_async_destroy(w->env, w->async);
  w->async = NULL;
}

static void on_readable(uv_poll_t *handle, int status, int events) {
  (void)events;
  notify_watch_t *w = (notify_watch_t *)handle->data;
  if (w->closing || !w->callback) return;
  napi_env env = w->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value callback = NULL;
  if (napi_get_reference_value(env, w->callback, &callback) == napi_ok && callback) {
    if (status < 0) stop(w);
    call_back(env, w->async, callback, status < 0 ? status : 0);
  }
  napi_close_handle_scope(env, scope);
}

static napi_value notify_watch(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t fd = -1;
  bool keep_alive = false;
  napi_valuetype type;
  if (argc < 3 || napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0 ||
      napi_typeof(env, argv[1], &type) != napi_ok || type != napi_function ||
      napi_get_value_bool(env, argv[2], &keep_alive) != napi_ok) {
    napi_throw_type_error(env, NULL, "notifyWatch(fd, callback, keepAlive: boolean)");
    return NULL;
  }
  uv_loop_t *loop = NULL;
  CHECK(napi_get_uv_event_loop(env, &loop));
  notify_watch_t *w = calloc(1, sizeof(*w));
  if (!w) return throw_errno(env, ENOMEM, "calloc");
  w->env = env;
  w->poll.data = w;
  int rc = uv_poll_init(loop, &w->poll, fd);
  if (rc != 0) {
    free(w);
    return throw_errno(env, -rc, "uv_poll_init");
  }
  w->owners = 1;
  rc = uv_poll_start(&w->poll, UV_READABLE, on_readable);
  if (rc != 0) {
    w->closing = 1;
    uv_close((uv_handle_t *)&w->poll, on_closed);
    return throw_errno(env, -rc, "uv_poll_start");
  }
  if (!keep_alive) uv_unref((uv_handle_t *)&w->poll);
  napi_value resource_name, external;
  if (napi_create_reference(env, argv[1], 1, &w->callback) != napi_ok ||
      napi_create_string_utf8(env, "usrsvc:notify", NAPI_AUTO_LENGTH, &resource_name) != napi_ok ||
      napi_async_init(env, NULL, resource_name, &w->async) != napi_ok ||
      napi_create_external(env, w, on_collected, NULL, &external) != napi_ok) {
    stop(w);
    return NULL;
  }
  w->owners = 2;
  return external;
}

static napi_value notify_unwatch(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  void *data = NULL;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || napi_get_value_external(env, argv[0], &data) != napi_ok || !data) {
    napi_throw_type_error(env, NULL, "notifyUnwatch(handle)");
    return NULL;
  }
  stop((notify_watch_t *)data);
  return NULL;
}

napi_status notify_define(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"notifyBind", NULL, notify_bind, NULL, NULL, NULL, napi_enumerable, NULL},
      {"notifyRecv", NULL, notify_recv, NULL, NULL, NULL, napi_enumerable, NULL},
      {"notifyWatch", NULL, notify_watch, NULL, NULL, NULL, napi_enumerable, NULL},
      {"notifyUnwatch", NULL, notify_unwatch, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  return napi_define_properties(env, exports, sizeof(properties) / sizeof(properties[0]), properties);
}
