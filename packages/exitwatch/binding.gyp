{
  "targets": [
    {
      "target_name": "usrsvc_exitwatch",
      "sources": ["native/client.c", "native/exitwatch.c", "native/notify.c", "native/procread.c", "native/spawn.c"],
      "cflags_c": ["-std=c11", "-Wall", "-Wextra", "-Werror=implicit-function-declaration"],
      "conditions": [
        ["OS!='linux'", { "type": "none", "sources!": ["native/client.c", "native/exitwatch.c", "native/notify.c", "native/procread.c", "native/spawn.c"] }]
      ]
    }
  ]
}
