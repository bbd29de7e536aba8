/*
 * @usrsvc/exitwatch native addon: be told when any process exits, without being its parent.
 *
 * pidfd_open(2) (Linux 5.3+) returns a descriptor that becomes readable when the process exits,
 * zombie or not. The descriptor is polled with a uv_poll_t on Node's own event loop, so the
 * callback runs on the JS thread: no threads, no threadsafe functions.
 *
 * Exports: probe() -> 0 | errno; watch(pid, callback, keepAlive) -> handle; close(handle);
 * spawnOrphan / spawnOrphanAsync (spawn.c), notifyBind... (notify.c), isTerminal, unixExchange (client.c);
 * tryLockExclusive(fd) -> boolean (flock(2), see try_lock_exclusive below).
 *
 * Lifetime of a watch_t: two owners, the uv handle (until its close callback) and the JS
 * external (until it is garbage collected). Whichever lets go last frees it.
 */
#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <node_api.h>
#include <uv.h>

#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "client.h"
#include "procread.h"
#include "notify.h"
#include "spawn.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434 /* the same number on every architecture */
#endif

typedef struct watch_s {
  uv_poll_t poll;
  napi_env env;
  napi_ref callback;          /* strong reference until the watch fires or is closed */
  napi_async_context async;   /* so the callback runs like any Node callback (microtasks, hooks) */
  int fd;
  int closing;
  int owners;
  struct watch_s *prev, *next; /* open watches, closed at environment teardown */
} watch_t;

typedef struct {
  watch_t *head;
} addon_t;

static void release(watch_t *w) {
  if (--w->owners == 0) free(w);
}

static void on_uv_closed(uv_handle_t *handle) { release((watch_t *)handle->data); }

static void on_external_collected(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  release((watch_t *)data);
}

static addon_t *addon_of(napi_env env) {
  void *data = NULL;
  napi_get_instance_data(env, &data);
  return (addon_t *)data;
}

/* Stops polling, closes the descriptor, drops the callback. Idempotent. JS thread only. */
static void stop_watch(watch_t *w) {
  if (w->closing) return;
  w->closing = 1;
  addon_t *addon = addon_of(w->env);
  if (w->prev) w->prev->next = w->next;
  else if (addon && addon->head == w) addon->head = w->next;
  if (w->next) w->next->prev = w->prev;
  w->prev = w->next = NULL;
  /* uv_close stops the poll and forgets the fd at once; only then is closing the fd safe. */
  uv_close((uv_handle_t *)&w->poll, on_uv_closed);
  close(w->fd);
  w->fd = -1;
  if (w->callback) napi_delete_reference(w->env, w->callback);
  w->callback = NULL;
  if (w->async) napi_async_destroy(w->env, w->async);
  w->async = NULL;
}

/* The process exited (status 0) or polling failed (status < 0, a libuv error): call back once. */
static void on_poll(uv_poll_t *handle, int status, int events) {
  (void)events;
  watch_t *w = (watch_t *)handle->data;
  napi_env env = w->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) {
    stop_watch(w);
    return;
  }
  napi_value callback = NULL;
  if (w->callback) napi_get_reference_value(env, w->callback, &callback);
  napi_async_context async = w->async;
  w->async = NULL; /* keep it for the call below; stop_watch would destroy it */
  stop_watch(w);
  call_back(env, async, callback, status < 0 ? status : 0);
  if (async) napi_async_destroy(env, async);
  napi_close_handle_scope(env, scope);
}

static napi_value probe(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  int fd = (int)syscall(SYS_pidfd_open, getpid(), 0);
  int err = fd < 0 ? errno : 0;
  if (fd >= 0) close(fd);
  CHECK(napi_create_int32(env, err, &result));
  return result;
}

static napi_value watch(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t pid = 0;
  bool keep_alive = false;
  napi_valuetype type;
  if (argc < 3 || napi_get_value_int32(env, argv[0], &pid) != napi_ok || pid <= 0 ||
      napi_typeof(env, argv[1], &type) != napi_ok || type != napi_function ||
      napi_get_value_bool(env, argv[2], &keep_alive) != napi_ok) {
    napi_throw_type_error(env, NULL, "watch(pid > 0, callback, keepAlive: boolean)");
    return NULL;
  }
  addon_t *addon = addon_of(env);
  uv_loop_t *loop = NULL;
  CHECK(napi_get_uv_event_loop(env, &loop));

  /* O_CLOEXEC is implied: children spawned later do not inherit the descriptor. */
  int fd = (int)syscall(SYS_pidfd_open, pid, 0);
  if (fd < 0) return throw_errno(env, errno, "pidfd_open");

  watch_t *w = calloc(1, sizeof(*w));
  if (!w) {
    close(fd);
    return throw_errno(env, ENOMEM, "calloc");
  }
  w->env = env;
  w->fd = fd;
  w->poll.data = w;
  int rc = uv_poll_init(loop, &w->poll, fd);
  if (rc != 0) {
    close(fd);
    free(w);
    return throw_errno(env, -rc, "uv_poll_init");
  }
  w->owners = 1; /* the uv handle */
  rc = uv_poll_start(&w->poll, UV_READABLE | UV_DISCONNECT, on_poll);
  if (rc != 0) {
    w->closing = 1;
    uv_close((uv_handle_t *)&w->poll, on_uv_closed);
    close(fd);
    return throw_errno(env, -rc, "uv_poll_start");
  }
  if (!keep_alive) uv_unref((uv_handle_t *)&w->poll);

  napi_value resource_name, external;
  if (napi_create_reference(env, argv[1], 1, &w->callback) != napi_ok ||
      napi_create_string_utf8(env, "usrsvc:exitwatch", NAPI_AUTO_LENGTH, &resource_name) != napi_ok ||
      napi_async_init(env, NULL, resource_name, &w->async) != napi_ok ||
      napi_create_external(env, w, on_external_collected, NULL, &external) != napi_ok) {
    stop_watch(w);
    return NULL;
  }
  w->owners = 2; /* and the external */
  if (addon) {
    w->next = addon->head;
    if (addon->head) addon->head->prev = w;
    addon->head = w;
  }
  return external;
}

static napi_value close_watch(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  void *data = NULL;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || napi_get_value_external(env, argv[0], &data) != napi_ok || !data) {
    napi_throw_type_error(env, NULL, "close(handle)");
    return NULL;
  }
  stop_watch((watch_t *)data);
  return NULL;
}

/* ---- tryLockExclusive: flock(2) without blocking the event loop ---------------------------- */

/*
 * flock(fd, LOCK_EX | LOCK_NB): true when this open file description now holds the lock (or
 * already did), false when another one holds it. The kernel releases it when the last descriptor
 * of the description closes, the holder's death included. Throws (code, errno, syscall) on any
 * other failure (EBADF, ENOLCK...).
 */
static napi_value try_lock_exclusive(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value args[1];
  int32_t fd = -1;
  CHECK(napi_get_cb_info(env, info, &argc, args, NULL, NULL));
  if (argc < 1 || napi_get_value_int32(env, args[0], &fd) != napi_ok || fd < 0) {
    napi_throw_type_error(env, NULL, "tryLockExclusive(fd): fd must be a descriptor");
    return NULL;
  }
  int rc;
  do {
    rc = flock(fd, LOCK_EX | LOCK_NB);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0 && errno != EWOULDBLOCK) return throw_errno(env, errno, "flock");
  napi_value result;
  CHECK(napi_get_boolean(env, rc == 0, &result));
  return result;
}

/* Environment teardown (process exit, worker end): close every open watch. */
static void on_env_teardown(void *arg) {
  addon_t *addon = (addon_t *)arg;
  while (addon->head) stop_watch(addon->head);
  free(addon);
}

static napi_value init(napi_env env, napi_value exports) {
  addon_t *addon = calloc(1, sizeof(*addon));
  if (!addon) return NULL;
  CHECK(napi_set_instance_data(env, addon, NULL, NULL));
  CHECK(napi_add_env_cleanup_hook(env, on_env_teardown, addon));
  napi_property_descriptor properties[] = {
      {"probe", NULL, probe, NULL, NULL, NULL, napi_enumerable, NULL},
      {"watch", NULL, watch, NULL, NULL, NULL, napi_enumerable, NULL},
      {"close", NULL, close_watch, NULL, NULL, NULL, napi_enumerable, NULL},
      {"tryLockExclusive", NULL, try_lock_exclusive, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  CHECK(napi_define_properties(env, exports, sizeof(properties) / sizeof(properties[0]), properties));
  CHECK(notify_define(env, exports));
  CHECK(spawn_define(env, exports));
  CHECK(client_define(env, exports));
  CHECK(procread_define(env, exports));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
