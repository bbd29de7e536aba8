#ifndef USRSVC_ERRNO_ERROR_H
#define USRSVC_ERRNO_ERROR_H
#include <node_api.h>
/* An Error like fs throws: message from strerror, code ('ENOENT'), errno, syscall; NULL if N-API failed. */
napi_value errno_error(napi_env env, int err, const char *syscall_name);
#endif
