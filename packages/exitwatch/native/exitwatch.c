/*
 * @usrsvc/exitwatch native addon: be told when any process exits, without being its parent.
 *
 * pidfd_open(2) (Linux 5.3+) returns a descriptor that becomes readable when the process exits,
 * zombie or not. The descriptor is polled with a uv_poll_t on Node's own event loop, so the
 * callback runs on the JS thread: no threads, no threadsafe functions.
 *
 * Exports: probe() -> 0 | errno; watch(pid, callback, keepAlive) -> handle; close(handle);
 * spawnOrphan(file, argv, envp, stdout, stderr, cwd, settings) -> pid (see spawn_orphan below);
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
#include "notify.h"

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

/* ---- spawnOrphan: start a program whose parent is never this process ---------------------- */

static void free_strings(char **list) {
  if (!list) return;
  for (char **item = list; *item; item++) free(*item);
  free(list);
}

static char *get_string(napi_env env, napi_value value) {
  size_t length = 0;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &length) != napi_ok) return NULL;
  char *text = malloc(length + 1);
  if (!text) return NULL;
  if (napi_get_value_string_utf8(env, value, text, length + 1, &length) != napi_ok) {
    free(text);
    return NULL;
  }
  return text;
}

/* A JS array of strings as a NULL-terminated char *[] (for execve). */
static char **get_strings(napi_env env, napi_value array) {
  uint32_t count = 0;
  if (napi_get_array_length(env, array, &count) != napi_ok) return NULL;
  char **list = calloc(count + 1, sizeof(char *));
  if (!list) return NULL;
  for (uint32_t i = 0; i < count; i++) {
    napi_value item;
    if (napi_get_element(env, array, i, &item) != napi_ok || !(list[i] = get_string(env, item))) {
      free_strings(list);
      return NULL;
    }
  }
  return list;
}

static int is_null(napi_env env, napi_value value) {
  napi_valuetype type;
  return napi_typeof(env, value, &type) != napi_ok || type == napi_null || type == napi_undefined;
}

/* What failed in the program's child before (or at) execve: the step and its errno. */
enum child_step { STEP_DUP2, STEP_CHDIR, STEP_SETRLIMIT, STEP_SETPRIORITY, STEP_EXECVE };
static const char *const step_names[] = {"dup2", "chdir", "setrlimit", "setpriority", "execve"};

static void write_failure(int fd, int step, int detail, int err) {
  int report[3] = {step, detail, err};
  ssize_t ignored = write(fd, report, sizeof(report));
  (void)ignored;
}

#define MAX_LIMITS 16
typedef struct {
  int resource;
  struct rlimit value;
} limit_t;

/* Process settings applied in the child before execve: resource limits, umask, nice. */
typedef struct {
  limit_t limits[MAX_LIMITS];
  int limit_count;
  int umask_value; /* -1: inherited */
  int has_nice;
  int nice_value;
} settings_t;

static const struct {
  const char *name;
  int resource;
} resource_names[] = {
    {"nofile", RLIMIT_NOFILE}, {"nproc", RLIMIT_NPROC},   {"core", RLIMIT_CORE},   {"memlock", RLIMIT_MEMLOCK},
    {"as", RLIMIT_AS},         {"fsize", RLIMIT_FSIZE},   {"stack", RLIMIT_STACK},
};

static int get_int_property(napi_env env, napi_value object, const char *name, int *present, int32_t *value) {
  bool has = false;
  napi_value item;
  *present = 0;
  if (napi_has_named_property(env, object, name, &has) != napi_ok) return -1;
  if (!has) return 0;
  if (napi_get_named_property(env, object, name, &item) != napi_ok) return -1;
  if (is_null(env, item)) return 0;
  if (napi_get_value_int32(env, item, value) != napi_ok) return -1;
  *present = 1;
  return 0;
}

static rlim_t to_rlim(double value) { return value < 0 ? RLIM_INFINITY : (rlim_t)value; }

/* { limits: [[name, soft, hard]...] (negative: infinity), umask: int | null, nice: int | null } */
static int get_settings(napi_env env, napi_value object, settings_t *settings) {
  memset(settings, 0, sizeof(*settings));
  settings->umask_value = -1;
  if (is_null(env, object)) return 0;
  int present = 0;
  int32_t value = 0;
  if (get_int_property(env, object, "umask", &present, &value) != 0) return -1;
  if (present) settings->umask_value = value & 0777;
  if (get_int_property(env, object, "nice", &present, &value) != 0) return -1;
  if (present) settings->has_nice = 1, settings->nice_value = value;
  bool has = false;
  napi_value limits;
  if (napi_has_named_property(env, object, "limits", &has) != napi_ok) return -1;
  if (!has || napi_get_named_property(env, object, "limits", &limits) != napi_ok || is_null(env, limits)) return 0;
  uint32_t count = 0;
  if (napi_get_array_length(env, limits, &count) != napi_ok || count > MAX_LIMITS) return -1;
  for (uint32_t i = 0; i < count; i++) {
    napi_value entry, name_value, soft_value, hard_value;
    double soft = 0, hard = 0;
    if (napi_get_element(env, limits, i, &entry) != napi_ok || napi_get_element(env, entry, 0, &name_value) != napi_ok ||
        napi_get_element(env, entry, 1, &soft_value) != napi_ok || napi_get_element(env, entry, 2, &hard_value) != napi_ok ||
        napi_get_value_double(env, soft_value, &soft) != napi_ok || napi_get_value_double(env, hard_value, &hard) != napi_ok)
      return -1;
    char *name = get_string(env, name_value);
    if (!name) return -1;
    int resource = -1;
    for (size_t r = 0; r < sizeof(resource_names) / sizeof(resource_names[0]); r++)
      if (strcmp(name, resource_names[r].name) == 0) resource = resource_names[r].resource;
    free(name);
    if (resource < 0) return -1;
    settings->limits[i].resource = resource;
    settings->limits[i].value.rlim_cur = to_rlim(soft);
    settings->limits[i].value.rlim_max = to_rlim(hard);
  }
  settings->limit_count = (int)count;
  return 0;
}

/*
 * The double fork of a classic daemon, without a shell: an intermediate child starts a session,
 * forks the program and exits at once, so the program is reparented to init (or the nearest
 * subreaper). The program gets stdin from /dev/null, stdout (and stderr) appended to files
 * opened here, default dispositions for every signal and an empty signal mask (a shell's
 * background job would ignore SIGINT and SIGQUIT), and exactly `envp`. Between fork and execve
 * the children make only async-signal-safe calls, as a fork of a threaded process must.
 * Returns the program's PID once it has exec'd; throws (code, errno, syscall) when a file
 * cannot be opened, a fork fails or execve fails (the program then never ran).
 */
static napi_value spawn_orphan(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value args[7];
  CHECK(napi_get_cb_info(env, info, &argc, args, NULL, NULL));
  if (argc < 7) {
    napi_throw_type_error(env, NULL, "spawnOrphan(file, argv, envp, stdout, stderr, cwd, settings)");
    return NULL;
  }
  settings_t settings;
  if (get_settings(env, args[6], &settings) != 0) {
    napi_throw_type_error(env, NULL, "spawnOrphan: settings must be { limits: [[name, soft, hard]...], umask, nice }");
    return NULL;
  }
  char *file = get_string(env, args[0]);
  char **argv = get_strings(env, args[1]);
  char **envp = get_strings(env, args[2]);
  char *out_path = get_string(env, args[3]);
  char *err_path = is_null(env, args[4]) ? NULL : get_string(env, args[4]);
  char *cwd = is_null(env, args[5]) ? NULL : get_string(env, args[5]);
  napi_value result = NULL;
  int in_fd = -1, out_fd = -1, err_fd = -1, pid_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
  int failed = 0;
  const char *failed_call = NULL;

  if (!file || !argv || !envp || !out_path || (!is_null(env, args[4]) && !err_path) ||
      (!is_null(env, args[5]) && !cwd)) {
    napi_throw_type_error(env, NULL, "spawnOrphan: file, argv, envp and stdout must be strings");
    goto done;
  }
  if ((in_fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) failed = errno, failed_call = "open /dev/null";
  else if ((out_fd = open(out_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666)) < 0) failed = errno, failed_call = "open stdout";
  else if (err_path && (err_fd = open(err_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666)) < 0) failed = errno, failed_call = "open stderr";
  else if (pipe2(pid_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) failed = errno, failed_call = "pipe2";
  if (failed) {
    throw_errno(env, failed, failed_call);
    goto done;
  }
  if (err_fd < 0) err_fd = out_fd;

  /* No signal handler of ours may run in a child before it resets them. */
  sigset_t all, previous;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &previous);
  pid_t middle = fork();
  if (middle == 0) {
    setsid();
    pid_t program = fork();
    if (program == 0) {
      struct sigaction fallback;
      memset(&fallback, 0, sizeof(fallback));
      fallback.sa_handler = SIG_DFL;
      for (int signal_number = 1; signal_number < NSIG; signal_number++) sigaction(signal_number, &fallback, NULL);
      sigset_t none;
      sigemptyset(&none);
      sigprocmask(SIG_SETMASK, &none, NULL);
      if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) {
        write_failure(err_pipe[1], STEP_DUP2, 0, errno);
        _exit(127);
      }
      if (cwd && chdir(cwd) != 0) {
        write_failure(err_pipe[1], STEP_CHDIR, 0, errno);
        _exit(127);
      }
      for (int i = 0; i < settings.limit_count; i++) {
        if (setrlimit(settings.limits[i].resource, &settings.limits[i].value) != 0) {
          write_failure(err_pipe[1], STEP_SETRLIMIT, i, errno);
          _exit(127);
        }
      }
      if (settings.has_nice && setpriority(PRIO_PROCESS, 0, settings.nice_value) != 0) {
        write_failure(err_pipe[1], STEP_SETPRIORITY, 0, errno);
        _exit(127);
      }
      if (settings.umask_value >= 0) umask((mode_t)settings.umask_value);
      execve(file, argv, envp);
      write_failure(err_pipe[1], STEP_EXECVE, 0, errno);
      _exit(127);
    }
    pid_t report = program < 0 ? -errno : program;
    ssize_t ignored = write(pid_pipe[1], &report, sizeof(report));
    (void)ignored;
    _exit(0);
  }
  int fork_errno = errno;
  pthread_sigmask(SIG_SETMASK, &previous, NULL);
  close(pid_pipe[1]);
  close(err_pipe[1]);
  pid_pipe[1] = err_pipe[1] = -1;
  if (middle < 0) {
    throw_errno(env, fork_errno, "fork");
    goto done;
  }
  while (waitpid(middle, NULL, 0) < 0 && errno == EINTR) {
  }
  pid_t program = 0;
  ssize_t got;
  while ((got = read(pid_pipe[0], &program, sizeof(program))) < 0 && errno == EINTR) {
  }
  if (got != sizeof(program) || program <= 0) {
    throw_errno(env, got == sizeof(program) ? -program : EIO, "fork");
    goto done;
  }
  /* EOF when execve succeeded (the pipe is close-on-exec); the failed step and errno when not. */
  int report[3] = {0, 0, 0};
  while ((got = read(err_pipe[0], report, sizeof(report))) < 0 && errno == EINTR) {
  }
  if (got == sizeof(report)) {
    int step = report[0] >= 0 && report[0] <= STEP_EXECVE ? report[0] : STEP_EXECVE;
    throw_errno(env, report[2], step_names[step]);
    napi_value error, index;
    if (step == STEP_SETRLIMIT && napi_get_and_clear_last_exception(env, &error) == napi_ok) {
      if (napi_create_int32(env, report[1], &index) == napi_ok) napi_set_named_property(env, error, "limitIndex", index);
      napi_throw(env, error);
    }
    goto done;
  }
  napi_create_int32(env, program, &result);

done:
  if (in_fd >= 0) close(in_fd);
  if (out_fd >= 0) close(out_fd);
  if (err_fd >= 0 && err_fd != out_fd) close(err_fd);
  for (int i = 0; i < 2; i++) {
    if (pid_pipe[i] >= 0) close(pid_pipe[i]);
    if (err_pipe[i] >= 0) close(err_pipe[i]);
  }
  free(file);
  free_strings(argv);
  free_strings(envp);
  free(out_path);
  free(err_path);
  free(cwd);
  return result;
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
      {"spawnOrphan", NULL, spawn_orphan, NULL, NULL, NULL, napi_enumerable, NULL},
      {"tryLockExclusive", NULL, try_lock_exclusive, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  CHECK(napi_define_properties(env, exports, sizeof(properties) / sizeof(properties[0]), properties));
  CHECK(notify_define(env, exports));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
