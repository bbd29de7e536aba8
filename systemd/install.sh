#!/bin/sh
# Installs the usrsvcd systemd units.
#
#   ./install.sh                 system template unit (usrsvcd@.service) and user unit (usrsvcd.service)
#   USRSVCD=/opt/bin/usrsvcd ./install.sh   use this usrsvcd instead of the one on PATH
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

install_unit() {
  unit=$1 dir=$2
  mkdir -p "$destdir$dir"
  sed "s|@USRSVCD@|$usrsvcd|g" "$here/$unit" > "$destdir$dir/$unit.tmp"
  chmod 0644 "$destdir$dir/$unit.tmp"
  mv "$destdir$dir/$unit.tmp" "$destdir$dir/$unit"
  echo "installed $destdir$dir/$unit (ExecStart=$usrsvcd --foreground)"
}

install_unit usrsvcd@.service "$system_unit_dir"
install_unit usrsvcd.service "$user_unit_dir"

if [ -z "$destdir" ] && command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  systemctl daemon-reload || true
fi

cat <<NEXT

Next steps:
  as root, for account "web":   systemctl enable --now usrsvcd@web
  or as the account itself:     systemctl --user enable --now usrsvcd
                                (and, as root, loginctl enable-linger web so it runs without a login)
NEXT
