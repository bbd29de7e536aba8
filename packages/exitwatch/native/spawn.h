#ifndef USRSVC_SPAWN_H
#define USRSVC_SPAWN_H
#include <node_api.h>
/* Adds spawnOrphan and spawnOrphanAsync to exports (spawn.c). */
napi_status spawn_define(napi_env env, napi_value exports);
#endif
