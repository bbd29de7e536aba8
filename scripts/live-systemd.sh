#!/bin/bash
# Boots a real systemd, as PID 1 of private pid/mount/uts/ipc/net/cgroup namespaces, so that the
# units in systemd/ can be tested under a live system and user manager (systemd/live.test.ts).
# Needs root, util-linux (unshare, nsenter, setpriv), script(1) and a cgroup2 hierarchy.
#
#   live-systemd.sh up              boot; prints the host PID of the container's PID 1
#   live-systemd.sh sh CMD...       run CMD as root inside
#   live-systemd.sh user USER CMD.. run CMD as USER inside, with HOME, XDG_RUNTIME_DIR and the
#                                   user bus set (what a login of USER would give systemctl --user)
#   live-systemd.sh down            poweroff (SIGKILL after 30 s), remove the cgroup, then verify
#                                   that no process of the namespace is left; exit 1 if one is
#
# The host root is the read-only lower layer of an overlay whose upper layer is a tmpfs, so every
# write inside (useradd, npm install --global, /etc/systemd) disappears with the namespace. The
# only host writes are $SYSD_BASE (state: PID, console and journal logs) and one cgroup folder.
# /proc/sys and /sys are read-only inside, the host's /dev is not bound in, and CAP_SYS_TIME,
# CAP_SYS_MODULE and the like are dropped, so the container cannot touch host sysctls, clock,
# modules or devices.
#
# Environment:
#   SYSD_BASE          folder for the state and mount points (default $TMPDIR/live-systemd)
#   SYSD_NAME          name of the container: hostname and cgroup folder (default live-systemd)
#   SYSD_BINDS         host folders bound in, read-only, at the same path (space separated)
#   SYSD_OWNER_PID     take the container down when this process exits (a test runner that died)
#   SYSD_BOOT_TIMEOUT  seconds to wait for the boot to finish (default 60)
#
# Adapted from the team's tools/live-systemd.sh (systemd 252, Debian 12).
set -euo pipefail

BASE=${SYSD_BASE:-${TMPDIR:-/tmp}/live-systemd}
NAME=${SYSD_NAME:-live-systemd}
STATE=$BASE/state
ROOT=$BASE/root   # mount point of the overlay (mounted only inside the namespace)
OVL=$BASE/ovl     # tmpfs with the overlay's upper and work folders (idem)
BOOT_TIMEOUT=${SYSD_BOOT_TIMEOUT:-60}
BINDS=${SYSD_BINDS:-}
OWNER=${SYSD_OWNER_PID:-}

# the cgroup2 mount: /sys/fs/cgroup on a pure v2 host, /sys/fs/cgroup/unified on a hybrid one
cgroup2_base() {
  if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then echo /sys/fs/cgroup
  elif [ "$(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then echo /sys/fs/cgroup/unified
  else echo "live-systemd: no cgroup2 hierarchy mounted (pure cgroup v1 host)" >&2; return 1; fi
}
CG=$(cgroup2_base)/$NAME

elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'; }
pid1() { cat "$STATE/pid1" 2>/dev/null; }
# running, not a zombie: the launcher and watchdog are orphans, which init reaps only now and then
running() { local state; state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) && [ -n "$state" ] && [ "$state" != Z ]; }
alive() { local p; p=$(pid1) && [ -n "$p" ] && running "$p"; }
in_container() {
  nsenter -t "$(pid1)" -m -u -i -n -p -C -r -w \
    env -i PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin TERM=dumb LANG=C.UTF-8 "$@"
}
as_user() {
  local user=$1 uid home; shift
  uid=$(in_container id -u "$user")
  home=$(in_container getent passwd "$user" | cut -d: -f6)
  in_container setpriv --reuid="$user" --regid="$user" --init-groups \
    env HOME="$home" USER="$user" LOGNAME="$user" \
    XDG_RUNTIME_DIR="/run/user/$uid" DBUS_SESSION_BUS_ADDRESS="unix:path=/run/user/$uid/bus" "$@"
}

# ---------------------------------------------------------------- inside the new namespaces
stage2() {
  # PID 1 of the new pid namespace; /proc is still the host's, so /proc/self/stat holds our host PID
  local host_pid _
  read -r host_pid _ </proc/self/stat
  echo "$host_pid" >"$STATE/pid1"
  # only this process joins the container's cgroup, which then becomes the root of its cgroupns
  echo 0 >"$CG/cgroup.procs"
  exec unshare --cgroup bash "$0" __stage3
}

stage3() {
  mount --make-rprivate /
  mkdir -p "$ROOT" "$OVL"
  mount -t tmpfs -o mode=755 live-systemd-overlay "$OVL"
  mkdir -p "$OVL/upper" "$OVL/work"
  mount -t overlay live-systemd-root -o "lowerdir=/,upperdir=$OVL/upper,workdir=$OVL/work" "$ROOT"

  # API file systems: fresh instances, none shared with the host
  mount -t proc -o nosuid,nodev,noexec proc "$ROOT/proc"
  local p
  for p in sys sysrq-trigger; do # a read-only bind remount changes this mount only
    [ -e "$ROOT/proc/$p" ] || continue
    mount --bind "$ROOT/proc/$p" "$ROOT/proc/$p"
    mount -o remount,bind,ro,nosuid,nodev,noexec "$ROOT/proc/$p"
  done
  mount -t sysfs -o nosuid,nodev,noexec sysfs "$ROOT/sys" # a new netns gets a new sysfs
  mount -t cgroup2 -o nosuid,nodev,noexec cgroup2 "$ROOT/sys/fs/cgroup" # rooted at $CG
  mount -o remount,bind,ro,nosuid,nodev,noexec "$ROOT/sys"
  mount -t tmpfs -o mode=755,nosuid,size=8m live-systemd-dev "$ROOT/dev"
  local node file major minor
  for node in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
    IFS=: read -r file major minor <<<"$node"
    mknod -m 666 "$ROOT/dev/$file" c "$major" "$minor"
  done
  mkdir -p "$ROOT/dev/pts" "$ROOT/dev/shm"
  mount -t devpts -o newinstance,ptmxmode=0666,mode=620,gid=5,nosuid,noexec devpts "$ROOT/dev/pts"
  ln -s pts/ptmx "$ROOT/dev/ptmx"
  # the pty that script(1) gives us becomes /dev/console (logged to console.log)
  if tty -s; then touch "$ROOT/dev/console"; mount --bind "$(tty)" "$ROOT/dev/console"; fi
  mount -t tmpfs -o mode=1777,nosuid,nodev shm "$ROOT/dev/shm"
  mount -t tmpfs -o mode=755,nosuid,nodev live-systemd-run "$ROOT/run"
  mount -t tmpfs -o mode=1777,nosuid,nodev live-systemd-tmp "$ROOT/tmp"
  local bind
  for bind in $BINDS; do
    mkdir -p "$ROOT$bind"
    mount --bind "$bind" "$ROOT$bind"
    mount -o remount,bind,ro "$ROOT$bind"
  done

  # the container's configuration, written to the overlay only
  systemd-id128 new >"$ROOT/etc/machine-id"
  echo "$NAME" >"$ROOT/etc/hostname"
  local units=$ROOT/etc/systemd/system
  mkdir -p "$units" "$ROOT/etc/systemd/system.conf.d"
  cat >"$units/live-systemd.target" <<EOF
[Unit]
Description=Minimal target for live unit tests
Requires=sysinit.target
Wants=dbus.socket systemd-logind.service systemd-user-sessions.service
After=sysinit.target dbus.socket systemd-logind.service systemd-user-sessions.service
AllowIsolate=yes
EOF
  printf '[Manager]\nDefaultTimeoutStopSec=15s\nShowStatus=no\n' >"$ROOT/etc/systemd/system.conf.d/live-systemd.conf"
  # units that make no sense here or touch hardware and kernel state; no timers (apt-daily...)
  local unit
  for unit in timers.target getty.target systemd-udevd.service systemd-udevd-control.socket \
    systemd-udevd-kernel.socket systemd-udev-trigger.service systemd-udev-settle.service \
    systemd-modules-load.service systemd-sysctl.service systemd-binfmt.service \
    proc-sys-fs-binfmt_misc.automount systemd-remount-fs.service systemd-random-seed.service \
    systemd-timesyncd.service systemd-pstore.service systemd-firstboot.service \
    dev-hugepages.mount sys-kernel-debug.mount sys-kernel-tracing.mount \
    sys-kernel-config.mount sys-fs-fuse-connections.mount systemd-journald-audit.socket; do
    ln -sf /dev/null "$units/$unit"
  done

  mkdir -p "$ROOT/.oldroot"
  cd "$ROOT"
  pivot_root . .oldroot
  cd /
  umount -l /.oldroot
  rmdir /.oldroot
  exec setpriv --bounding-set -sys_time,-sys_module,-sys_rawio,-syslog,-wake_alarm,-block_suspend,-mac_admin,-mac_override,-sys_pacct \
    env -i container=other TERM=dumb \
    /lib/systemd/systemd --system --unit=live-systemd.target --log-target=console --log-color=no
}

# ---------------------------------------------------------------- on the host
fail_boot() {
  echo "live-systemd: $1; console log:" >&2
  tail -50 "$STATE/console.log" >&2 || true
  down >&2 || true
  exit 1
}

up() {
  if alive; then echo "live-systemd: already running, PID 1 = $(pid1)"; return 0; fi
  [ "$(id -u)" -eq 0 ] || { echo "live-systemd: needs root (it mounts and unshares namespaces)" >&2; exit 1; }
  local cmd tool
  for tool in unshare nsenter setpriv script systemd-id128 /lib/systemd/systemd; do
    command -v "$tool" >/dev/null || { echo "live-systemd: $tool not found (apt-get install systemd util-linux bsdutils)" >&2; exit 1; }
  done
  mkdir -p "$STATE" "$CG"
  rm -f "$STATE/pid1" "$STATE/launcher" "$STATE/pidns" "$STATE/watchdog" "$STATE/journal.log"
  local t0 p="" state="" i
  t0=$(date +%s.%N)
  # script(1) gives PID 1 a pty as /dev/console; --kill-child ties the namespace's life to unshare
  cmd=$(printf '%q ' unshare --pid --fork --kill-child --mount --uts --ipc --net --propagation private \
    env SYSD_BASE="$BASE" SYSD_NAME="$NAME" SYSD_BINDS="$BINDS" bash "$(readlink -f "$0")" __stage2)
  (exec script -qfec "$cmd" "$STATE/console.log") </dev/null >/dev/null 2>&1 &
  echo $! >"$STATE/launcher"
  for i in $(seq 200); do
    p=$(pid1) && [ -n "$p" ] && break
    kill -0 "$(cat "$STATE/launcher")" 2>/dev/null || break
    sleep 0.05
  done
  [ -n "$p" ] || fail_boot "the container's PID 1 did not start"
  readlink "/proc/$p/ns/pid" >"$STATE/pidns"
  for i in $(seq $((BOOT_TIMEOUT * 10))); do
    if [ "$(cat "/proc/$p/comm" 2>/dev/null)" = systemd ] && [ -S "/proc/$p/root/run/systemd/private" ]; then
      state=$(in_container systemctl is-system-running 2>/dev/null || true)
    fi
    if [ "$state" = running ] || [ "$state" = degraded ]; then
      [ -z "$OWNER" ] || start_watchdog
      echo "live-systemd: up in $(elapsed "$t0") s, host PID of its PID 1 = $p, state $state"
      [ "$state" = running ] || in_container systemctl --failed --no-pager --no-legend || true
      return 0
    fi
    kill -0 "$p" 2>/dev/null || fail_boot "the container's PID 1 died"
    sleep 0.1
  done
  fail_boot "the boot did not finish within $BOOT_TIMEOUT s"
}

# takes the container down once $OWNER is gone, so a test runner that was killed leaves nothing
start_watchdog() {
  (
    exec </dev/null >>"$STATE/watchdog.log" 2>&1
    local sleeper=""
    trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM # down() ends the watchdog, and its sleep with it
    while running "$OWNER" && alive; do sleep 1 & sleeper=$!; wait "$sleeper"; done
    if alive; then echo "owner $OWNER is gone"; down; fi
  ) &
  echo $! >"$STATE/watchdog"
}

down() {
  local p launcher watchdog ns left="" t0 i d
  p=$(pid1 || true)
  launcher=$(cat "$STATE/launcher" 2>/dev/null || true)
  watchdog=$(cat "$STATE/watchdog" 2>/dev/null || true)
  ns=$(cat "$STATE/pidns" 2>/dev/null || true)
  t0=$(date +%s.%N)
  if [ -n "$watchdog" ] && [ "$watchdog" != "$BASHPID" ]; then
    kill "$watchdog" 2>/dev/null || true
    for i in $(seq 50); do running "$watchdog" || break; sleep 0.1; done
  fi
  if [ -n "$p" ] && running "$p"; then
    timeout 10 nsenter -t "$p" -m -p journalctl -b --no-pager -o short-monotonic >"$STATE/journal.log" 2>&1 || true
    kill -s SIGRTMIN+4 "$p" || true # = systemctl poweroff inside
    for i in $(seq 300); do running "$p" || break; sleep 0.1; done
    if running "$p"; then echo "live-systemd: poweroff timed out, SIGKILL $p"; kill -KILL "$p"; fi
  fi
  if [ -n "$launcher" ]; then for i in $(seq 50); do running "$launcher" || break; sleep 0.1; done; fi
  # the cgroup subtree, deepest first, once it is empty
  if [ -d "$CG" ]; then
    for i in $(seq 50); do
      [ -z "$(cat "$CG/cgroup.procs"; find "$CG" -mindepth 2 -name cgroup.procs -exec cat {} +)" ] && break
      sleep 0.1
    done
    find "$CG" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  fi
  if [ -n "$ns" ]; then
    for d in /proc/[0-9]*; do [ "$(readlink "$d/ns/pid" 2>/dev/null)" = "$ns" ] && left="$left ${d#/proc/}"; done
  fi
  rm -f "$STATE/pid1" "$STATE/launcher" "$STATE/pidns" "$STATE/watchdog"
  echo "live-systemd: down in $(elapsed "$t0") s; cgroup $CG $([ -d "$CG" ] && echo 'STILL PRESENT' || echo removed);" \
    "processes left in ${ns:-the pid namespace}: ${left:-none}"
  [ ! -d "$CG" ] && [ -z "$left" ]
}

case ${1:-} in
  __stage2) stage2 ;;
  __stage3) stage3 ;;
  up) up ;;
  down) down ;;
  sh) shift; in_container "$@" ;;
  user) shift; as_user "$@" ;;
  *) sed -n '2,10p' "$0" >&2; exit 2 ;;
esac
