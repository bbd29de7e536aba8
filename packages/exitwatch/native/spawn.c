/*
 * spawnOrphan / spawnOrphanAsync: start a program whose parent is never this process.
 *
 * The double fork of a classic daemon, without a shell and without copying Node's address space:
 * an intermediate child made by clone(CLONE_VM | CLONE_VFORK) starts a session and makes the
 * program the same way, then exits, so the program is reparented to init (or the nearest
 * subreaper). CLONE_VM shares the caller's memory instead of copying its page tables (a fork of
 * a 60 MB Node costs milliseconds, and every page Node writes afterwards faults once); CLONE_VFORK
 * suspends only the calling thread until the child has exec'd or exited, which is what makes the
 * sharing safe, as in glibc's posix_spawn. The children make only async-signal-safe calls (raw
 * syscalls), on stacks of their own, with every signal blocked until the program has reset each
 * disposition to the default. The outcome (the program's PID, or the step that failed and its
 * errno) is written into the shared job: when the calling thread runs again, the program has
 * exec'd or never will.
 *
 * spawnOrphan runs on the JS thread; spawnOrphanAsync runs the same job on libuv's thread pool
 * (napi_async_work) and returns a Promise, so that launches never wait on one another or on the
 * event loop, and opening the log files happens off the JS thread too.
 *
 * The program gets stdin from /dev/null, stdout (and stderr) appended to files opened here,
 * default dispositions for every signal and an empty signal mask (a shell's background job would
 * ignore SIGINT and SIGQUIT), `cwd`, limits, nice and umask, and exactly `envp`.
 */
#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <node_api.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "spawn.h"

/* What failed: in this process before the clone (open, mmap, clone) or in the program's child. */
enum step { STEP_NONE, STEP_OPEN_NULL, STEP_OPEN_STDOUT, STEP_OPEN_STDERR, STEP_MMAP, STEP_FORK, STEP_DUP2, STEP_CHDIR, STEP_SETRLIMIT, STEP_SETPRIORITY, STEP_EXECVE };
static const char *const step_names[] = {"", "open /dev/null", "open stdout", "open stderr", "mmap", "fork", "dup2", "chdir", "setrlimit", "setpriority", "execve"};

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

/* Stack of each child (the intermediate's and the program's); the children only make syscalls. */
#define CHILD_STACK (64 * 1024)

/* One launch: its inputs, copied out of JS before it runs, and its outcome, written by the children. */
typedef struct {
  char *file;
  char **argv;
  char **envp;
  char *out_path;
  char *err_path; /* NULL: the same descriptor as stdout */
  char *cwd;
  settings_t settings;
  int in_fd, out_fd, err_fd;
  char *stacks; /* 2 * CHILD_STACK, mmap'd */
  /* outcome */
  volatile pid_t program;
  volatile int failed_step;
  volatile int failed_detail; /* the index of the refused limit */
  volatile int failed_errno;
} job_t;

static const struct {
  const char *name;
  int resource;
} resource_names[] = {
    {"nofile", RLIMIT_NOFILE}, {"nproc", RLIMIT_NPROC},   {"core", RLIMIT_CORE},   {"memlock", RLIMIT_MEMLOCK},
    {"as", RLIMIT_AS},         {"fsize", RLIMIT_FSIZE},   {"stack", RLIMIT_STACK},
};

/* ---- arguments ------------------------------------------------------------------------------ */

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

static void free_job(job_t *job) {
  if (!job) return;
  free(job->file);
  free_strings(job->argv);
  free_strings(job->envp);
  free(job->out_path);
  free(job->err_path);
  free(job->cwd);
  free(job);
}

/* Copies (file, argv, envp, stdout, stderr, cwd, settings) out of JS; NULL after throwing a TypeError. */
static job_t *read_job(napi_env env, size_t argc, napi_value *args, const char *usage) {
  if (argc < 7) {
    napi_throw_type_error(env, NULL, usage);
    return NULL;
  }
  job_t *job = calloc(1, sizeof(*job));
  if (!job) {
    napi_throw_error(env, "ENOMEM", "spawnOrphan: out of memory");
    return NULL;
  }
  job->in_fd = job->out_fd = job->err_fd = -1;
  if (get_settings(env, args[6], &job->settings) != 0) {
    free_job(job);
    napi_throw_type_error(env, NULL, "spawnOrphan: settings must be { limits: [[name, soft, hard]...], umask, nice }");
    return NULL;
  }
  job->file = get_string(env, args[0]);
  job->argv = get_strings(env, args[1]);
  job->envp = get_strings(env, args[2]);
  job->out_path = get_string(env, args[3]);
  job->err_path = is_null(env, args[4]) ? NULL : get_string(env, args[4]);
  job->cwd = is_null(env, args[5]) ? NULL : get_string(env, args[5]);
  if (!job->file || !job->argv || !job->envp || !job->out_path || (!is_null(env, args[4]) && !job->err_path) ||
      (!is_null(env, args[5]) && !job->cwd)) {
    free_job(job);
    napi_throw_type_error(env, NULL, "spawnOrphan: file, argv, envp and stdout must be strings");
    return NULL;
  }
  return job;
}

/* ---- the launch (any thread; no JS) ----------------------------------------------------------- */

static int fail_child(job_t *job, int step, int detail, int err) {
  job->failed_detail = detail;
  job->failed_errno = err;
  job->failed_step = step;
  _exit(127);
}

/* The program's process, sharing the caller's memory until execve replaces it. */
static int program_main(void *arg) {
  job_t *job = arg;
  struct sigaction fallback;
  memset(&fallback, 0, sizeof(fallback));
  fallback.sa_handler = SIG_DFL;
  /* Without CLONE_SIGHAND this is the child's own copy of the handler table. */
  for (int signal_number = 1; signal_number < NSIG; signal_number++) sigaction(signal_number, &fallback, NULL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  if (dup2(job->in_fd, 0) < 0 || dup2(job->out_fd, 1) < 0 || dup2(job->err_fd, 2) < 0) return fail_child(job, STEP_DUP2, 0, errno);
  /* Without CLONE_FS (cwd, umask) and CLONE_FILES these change the child alone. */
  if (job->cwd && chdir(job->cwd) != 0) return fail_child(job, STEP_CHDIR, 0, errno);
  for (int i = 0; i < job->settings.limit_count; i++) {
    if (setrlimit(job->settings.limits[i].resource, &job->settings.limits[i].value) != 0) return fail_child(job, STEP_SETRLIMIT, i, errno);
  }
  if (job->settings.has_nice && setpriority(PRIO_PROCESS, 0, job->settings.nice_value) != 0) return fail_child(job, STEP_SETPRIORITY, 0, errno);
  if (job->settings.umask_value >= 0) umask((mode_t)job->settings.umask_value);
  execve(job->file, job->argv, job->envp);
  return fail_child(job, STEP_EXECVE, 0, errno);
}

/* The intermediate: a session of its own, the program, and gone (the program is orphaned). */
static int middle_main(void *arg) {
  job_t *job = arg;
  setsid();
  pid_t program = clone(program_main, job->stacks + CHILD_STACK, CLONE_VM | CLONE_VFORK | SIGCHLD, job);
  if (program < 0) {
    job->failed_errno = errno;
    job->failed_step = STEP_FORK;
  } else {
    job->program = program;
  }
  _exit(0);
}

/* Opens the files, makes both children, reaps the intermediate. The outcome is in the job. */
static void run_job(job_t *job) {
  int step = STEP_NONE;
  if ((job->in_fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) step = STEP_OPEN_NULL;
  else if ((job->out_fd = open(job->out_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666)) < 0) step = STEP_OPEN_STDOUT;
  else if (job->err_path && (job->err_fd = open(job->err_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666)) < 0) step = STEP_OPEN_STDERR;
  if (step == STEP_NONE && job->err_fd < 0) job->err_fd = job->out_fd;
  if (step == STEP_NONE) {
    job->stacks = mmap(NULL, 2 * CHILD_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (job->stacks == MAP_FAILED) job->stacks = NULL, step = STEP_MMAP;
  }
  if (step != STEP_NONE) {
    job->failed_errno = errno;
    job->failed_step = step;
  } else {
    /* No signal handler of ours may run in a child (on our memory) before it resets them. */
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    pid_t middle = clone(middle_main, job->stacks + 2 * CHILD_STACK, CLONE_VM | CLONE_VFORK | SIGCHLD, job);
    int clone_errno = errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    if (middle < 0) {
      job->failed_errno = clone_errno;
      job->failed_step = STEP_FORK;
    } else {
      while (waitpid(middle, NULL, __WALL) < 0 && errno == EINTR) {
      }
    }
  }
  if (job->stacks) munmap(job->stacks, 2 * CHILD_STACK);
  job->stacks = NULL;
  if (job->in_fd >= 0) close(job->in_fd);
  if (job->out_fd >= 0) close(job->out_fd);
  if (job->err_fd >= 0 && job->err_fd != job->out_fd) close(job->err_fd);
  job->in_fd = job->out_fd = job->err_fd = -1;
}

/* ---- results -------------------------------------------------------------------------------- */

/* The job's outcome: *pid on success (returns NULL), else the Error to throw or reject with. */
static napi_value job_outcome(napi_env env, const job_t *job, napi_value *pid) {
  if (job->failed_step == STEP_NONE && job->program > 0) {
    napi_create_int32(env, job->program, pid);
    return NULL;
  }
  int step = job->failed_step == STEP_NONE ? STEP_FORK : job->failed_step;
  int err = job->failed_step == STEP_NONE ? EIO : job->failed_errno;
  napi_value error = errno_error(env, err, step_names[step]);
  napi_value index;
  if (error && step == STEP_SETRLIMIT && napi_create_int32(env, job->failed_detail, &index) == napi_ok) {
    napi_set_named_property(env, error, "limitIndex", index);
  }
  return error;
}

/* The call's job (see read_job); NULL after throwing. */
static job_t *call_job(napi_env env, napi_callback_info info, const char *usage) {
  size_t argc = 7;
  napi_value args[7];
  if (napi_get_cb_info(env, info, &argc, args, NULL, NULL) != napi_ok) return NULL;
  return read_job(env, argc, args, usage);
}

static napi_value spawn_orphan(napi_env env, napi_callback_info info) {
  job_t *job = call_job(env, info, "spawnOrphan(file, argv, envp, stdout, stderr, cwd, settings)");
  if (!job) return NULL;
  run_job(job);
  napi_value pid = NULL;
  napi_value error = job_outcome(env, job, &pid);
  free_job(job);
  if (error) napi_throw(env, error);
  return pid;
}

typedef struct {
  job_t *job;
  napi_async_work work;
  napi_deferred deferred;
} async_job_t;

static void execute_async(napi_env env, void *data) {
  (void)env;
  run_job(((async_job_t *)data)->job);
}

static void complete_async(napi_env env, napi_status status, void *data) {
  async_job_t *async = data;
  napi_value pid = NULL, error = NULL;
  if (status == napi_ok) error = job_outcome(env, async->job, &pid);
  else napi_create_error(env, NULL, NULL, &error);
  if (error) napi_reject_deferred(env, async->deferred, error);
  else napi_resolve_deferred(env, async->deferred, pid);
  napi_delete_async_work(env, async->work);
  free_job(async->job);
  free(async);
}

static napi_value spawn_orphan_async(napi_env env, napi_callback_info info) {
  job_t *job = call_job(env, info, "spawnOrphanAsync(file, argv, envp, stdout, stderr, cwd, settings)");
  if (!job) return NULL;
  async_job_t *async = calloc(1, sizeof(*async));
  if (!async) {
    free_job(job);
    napi_throw_error(env, "ENOMEM", "spawnOrphanAsync: out of memory");
    return NULL;
  }
  async->job = job;
  napi_value promise = queue_promise_work(env, "usrsvc:spawnOrphan", execute_async, complete_async, async, &async->work, &async->deferred);
  if (!promise) {
    free_job(job);
    free(async);
  }
  return promise;
}

napi_status spawn_define(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"spawnOrphan", NULL, spawn_orphan, NULL, NULL, NULL, napi_enumerable, NULL},
      {"spawnOrphanAsync", NULL, spawn_orphan_async, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  return napi_define_properties(env, exports, sizeof(properties) / sizeof(properties[0]), properties);
}
