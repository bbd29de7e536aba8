/*
 * readProcAsync(uid, exactRss) -> Promise<Buffer>: the files of every /proc/<pid> that a process
 * table is made of, read on libuv's thread pool. Reading a thousand processes from JS is ~30 ms
 * of open/read/close on the event loop; here the loop only parses what was read.
 *
 * uid < 0: every process; else only that user's (the owner of /proc/<pid>). With exactRss, statm
 * is read too. The Buffer holds one record per process, in /proc's order, little-endian:
 *   u32 pid, u32 uid, u32 statLength, u32 cmdlineLength, u32 statmLength, then those bytes.
 * A process that exits while it is read is left out (its folder stays open, so a reused PID is
 * never mixed in). The format is procscan's (packed proc entries, rawProcEntries.ts).
 */
#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <node_api.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "procread.h"

typedef struct {
  int64_t uid;
  bool exact_rss;
  bytes_t out;
  /* The errno that ended the scan: opendir's, or ENOMEM. */
  int error;
  napi_async_work work;
  napi_deferred deferred;
} scan_t;

/* bytes_reserve on the scan's output; ENOMEM ends the scan. */
static bool reserve(scan_t *scan, size_t more) {
  if (!scan->error && bytes_reserve(&scan->out, more)) scan->error = ENOMEM;
  return !scan->error;
}

static void put_u32(char *at, uint32_t value) {
  at[0] = (char)(value & 0xff);
  at[1] = (char)((value >> 8) & 0xff);
  at[2] = (char)((value >> 16) & 0xff);
  at[3] = (char)((value >> 24) & 0xff);
}

/* Appends the whole file `name` of the folder dirfd to the output: its length, or -1 when unreadable. */
static ssize_t append_file(scan_t *scan, int dirfd, const char *name) {
  bytes_t *out = &scan->out;
  int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  size_t start = out->length;
  for (;;) {
    if (!reserve(scan, 4096)) break;
    ssize_t got = read(fd, out->data + out->length, out->capacity - out->length);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      out->length = start;
      close(fd);
      return -1;
    }
    if (got == 0) break;
    out->length += (size_t)got;
  }
  close(fd);
  return scan->error ? -1 : (ssize_t)(out->length - start);
}

static bool is_pid(const char *name) {
  if (*name == '\0') return false;
  for (const char *c = name; *c; c++) {
    if (*c < '0' || *c > '9') return false;
  }
  return true;
}

/* One process's record at the end of out; nothing is left of it when it cannot be read whole. */
static void read_process(scan_t *scan, int proc, const char *name) {
  bytes_t *out = &scan->out;
  int dir = openat(proc, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return;
  struct stat st;
  if (fstat(dir, &st) != 0 || (scan->uid >= 0 && (int64_t)st.st_uid != scan->uid) || !reserve(scan, 20)) {
    close(dir);
    return;
  }
  size_t header = out->length;
  out->length += 20;
  ssize_t stat_length = append_file(scan, dir, "stat");
  ssize_t cmdline_length = stat_length < 0 ? -1 : append_file(scan, dir, "cmdline");
  ssize_t statm_length = cmdline_length < 0 || !scan->exact_rss ? 0 : append_file(scan, dir, "statm");
  close(dir);
  if (stat_length <= 0 || cmdline_length < 0 || statm_length < 0) {
    out->length = header;
    return;
  }
  char *at = out->data + header;
  put_u32(at, (uint32_t)strtoul(name, NULL, 10));
  put_u32(at + 4, (uint32_t)st.st_uid);
  put_u32(at + 8, (uint32_t)stat_length);
  put_u32(at + 12, (uint32_t)cmdline_length);
  put_u32(at + 16, (uint32_t)statm_length);
}

static void execute_scan(napi_env env, void *data) {
  (void)env;
  scan_t *scan = data;
  DIR *proc = opendir("/proc");
  if (!proc) {
    scan->error = errno;
    return;
  }
  int proc_fd = dirfd(proc);
  struct dirent *entry;
  while (!scan->error && (entry = readdir(proc)) != NULL) {
    if (is_pid(entry->d_name)) read_process(scan, proc_fd, entry->d_name);
  }
  closedir(proc);
}

static void free_data(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

static void complete_scan(napi_env env, napi_status status, void *data) {
  scan_t *scan = data;
  napi_value result = NULL, error = NULL;
  if (status != napi_ok) scan->error = ECANCELED;
  if (scan->error) {
    const char *step = scan->error == ENOMEM ? "realloc" : scan->error == ECANCELED ? "readProc" : "opendir /proc";
    error = errno_error(env, scan->error, step);
  } else if (scan->out.length == 0) {
    napi_create_buffer(env, 0, NULL, &result);
  } else if (napi_create_external_buffer(env, scan->out.length, scan->out.data, free_data, NULL, &result) == napi_ok) {
    scan->out.data = NULL; /* the Buffer owns it now */
  }
  if (!error && !result) error = errno_error(env, ENOMEM, "napi_create_external_buffer");
  if (error) napi_reject_deferred(env, scan->deferred, error);
  else napi_resolve_deferred(env, scan->deferred, result);
  napi_delete_async_work(env, scan->work);
  free(scan->out.data);
  free(scan);
}

static napi_value read_proc_async(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value args[2];
  CHECK(napi_get_cb_info(env, info, &argc, args, NULL, NULL));
  int64_t uid = -1;
  bool exact_rss = false;
  if (argc < 2 || napi_get_value_int64(env, args[0], &uid) != napi_ok || napi_get_value_bool(env, args[1], &exact_rss) != napi_ok) {
    napi_throw_type_error(env, "EINVAL", "readProcAsync(uid: number, exactRss: boolean)");
    return NULL;
  }
  scan_t *scan = calloc(1, sizeof(*scan));
  if (!scan) {
    napi_throw_error(env, "ENOMEM", "readProcAsync: out of memory");
    return NULL;
  }
  scan->uid = uid;
  scan->exact_rss = exact_rss;
  napi_value promise = queue_promise_work(env, "usrsvc:readProc", execute_scan, complete_scan, scan, &scan->work, &scan->deferred);
  if (!promise) free(scan);
  return promise;
}

napi_status procread_define(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"readProcAsync", NULL, read_proc_async, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  return napi_define_properties(env, exports, sizeof(properties) / sizeof(properties[0]), properties);
}
