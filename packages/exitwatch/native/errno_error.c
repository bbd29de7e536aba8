#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <node_api.h>
#include <uv.h>

#include "errno_error.h"

#define CHECK(call)                          \
  do {                                       \
    if ((call) != napi_ok) return NULL;      \
  } while (0)

napi_value errno_error(napi_env env, int err, const char *syscall_name) {
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
