#ifndef USRSVC_NOTIFY_H
#define USRSVC_NOTIFY_H
#include <node_api.h>
/* Adds notifyBind, notifyRecv, notifyWatch and notifyUnwatch to exports (notify.c). */
napi_status notify_define(napi_env env, napi_value exports);
#endif
