export const USAGE = `usage: usrsvc-web [--listen HOST:PORT] [--allow-remote] [--tls-cert FILE --tls-key FILE]
                  [--server-name NAME]... [--config FILE]
       usrsvc-web url [--read-only] [--config FILE]
       usrsvc-web token [--read-only | --metrics]

usrsvc's dashboard and HTTP API, in the foreground. Open the address that \`usrsvc-web url\` prints.

  --listen HOST:PORT  where to listen (default [Main] web_listen, else 127.0.0.1:9715)
  --allow-remote      serve a non-loopback address (needs --tls-cert and --tls-key or
                      [Main] web_tls_cert and web_tls_key)
  --server-name NAME  a name the page is reached by, besides the listen address (Host check)
  --config FILE       the main config file (default $USRSVC_CONFIG, then $HOME/usrsvc.cfg)
  url                 print the address to open, with the token (--read-only: a page without actions)
  token               print a token for scripts (Authorization: Bearer); --metrics: for /metrics only
`;
