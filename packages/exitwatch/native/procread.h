#ifndef USRSVC_PROCREAD_H
#define USRSVC_PROCREAD_H
#include <node_api.h>
/* Adds readProcAsync to exports (procread.c). */
napi_status procread_define(napi_env env, napi_value exports);
#endif
