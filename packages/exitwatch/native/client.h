#ifndef USRSVC_CLIENT_H
#define USRSVC_CLIENT_H
#include <node_api.h>
/* Adds isTerminal and unixExchange to exports (client.c). */
napi_status client_define(napi_env env, napi_value exports);
#endif
