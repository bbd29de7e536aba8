#!/bin/sh
# Installs the usrsvc systemd units.
#
#   ./install.sh                 system template unit (usrsvcd@.service), user unit (usrsvcd.service)
#                                and the dashboard's user unit (usrsvc-web.service)
#   USRSVCD=/opt/bin/usrsvcd ./install.sh   use this usrsvcd instead of the one on PATH
#   USRSVC_WEB=/opt/bin/usrsvc-web          use this usrsvc-web (default: beside usrsvcd, then PATH)
#   DESTDIR=/tmp/pkgroot ./install.sh       stage into a package root (nothing is reloaded)
#   SYSTEM_UNIT_DIR=… USER_UNIT_DIR=…       override where the units go
set -eu

here=$(cd "$(dirname "$0")" && pwd)
destdir=${DESTDIR:-}
system_unit_dir=${SYSTEM_UNIT_DIR:-/etc/systemd/system}
user_unit_dir=${USER_UNIT_DIR:-/etc/systemd/user}

usrsvcd=${USRSVCD:-$(command -v usrsvcd || true)}
if [ -z "$usrsvcd" ]; then
  echo "install.sh: usrsvcd is not on PATH; install usrsvc first (npm install -g usrsvc) or set USRSVCD=/path/to/usrsvcd" >&2
  exit 1
fi
case "$usrsvcd" in
  /*) ;;
  *) echo "install.sh: USRSVCD must be an absolute path, got '$usrsvcd'" >&2; exit 1 ;;
esac

usrsvc_web=${USRSVC_WEB:-}
if [ -z "$usrsvc_web" ]; then
  if [ -x "$(dirname "$usrsvcd")/usrsvc-web" ]; then usrsvc_web=$(dirname "$usrsvcd")/usrsvc-web
  else usrsvc_web=$(command -v usrsvc-web || true)
  fi
fi
case "$usrsvc_web" in
  /*) ;;
  '') echo "install.sh: usrsvc-web not found beside usrsvcd nor on PATH: skipping usrsvc-web.service" >&2 ;;
  *) echo "install.sh: USRSVC_WEB must be an absolute path, got '$usrsvc_web'" >&2; exit 1 ;;
esac

install_unit() {
  unit=$1 dir=$2
  mkdir -p "$destdir$dir"
  sed -e "s|@USRSVCD@|$usrsvcd|g" -e "s|@USRSVC_WEB@|$usrsvc_web|g" "$here/$unit" > "$destdir$dir/$unit.tmp"
  chmod 0644 "$destdir$dir/$unit.tmp"
  mv "$destdir$dir/$unit.tmp" "$destdir$dir/$unit"
  echo "installed $destdir$dir/$unit ($(grep '^ExecStart=' "$destdir$dir/$unit"))"
}

install_unit usrsvcd@.service "$system_unit_dir"
install_unit usrsvcd.service "$user_unit_dir"
if [ -n "$usrsvc_web" ]; then install_unit usrsvc-web.service "$user_unit_dir"; fi

if [ -z "$destdir" ] && command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  systemctl daemon-reload || true
fi

cat <<NEXT

Next steps:
  as root, for account "web":   systemctl enable --now usrsvcd@web
  or as the account itself:     systemctl --user enable --now usrsvcd
                                (and, as root, loginctl enable-linger web so it runs without a login)
  the dashboard, as the account: systemctl --user enable --now usrsvc-web
                                then open the address that \`usrsvc-web url\` prints
NEXT
