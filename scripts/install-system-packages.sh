#!/bin/sh
# The system packages the tests drive for real, from Debian's apt: tini (a subreaper, as systemd
# --user is), the real daemons usrsvc must run unchanged (redis-server, postgresql, python3-gunicorn,
# nginx-light, haproxy, memcached), chromium (the dashboard's browser tests), prometheus with
# promtool, prometheus-alertmanager and prometheus-node-exporter (the fleet tests), supervisor (only
# its supervisorctl client is used) and ansible (community.general.supervisorctl), and systemd (the
# units tested under a live systemd). Installs only what is missing; their own services are not started (policy-rc.d),
# the tests start private instances on 127.0.0.1.
set -eu
PACKAGES="tini nginx-light redis-server postgresql python3-gunicorn haproxy memcached supervisor ansible systemd chromium prometheus prometheus-alertmanager prometheus-node-exporter"

missing=""
for package in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then exec sudo sh "$0"; fi
  echo "install-system-packages: need root (or sudo) to apt-get install:$missing" >&2
  exit 1
fi

echo "install-system-packages: installing$missing"
policy=/usr/sbin/policy-rc.d
made_policy=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy" && made_policy=1
fi
trap '[ -n "$made_policy" ] && rm -f "$policy"' EXIT
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq
# shellcheck disable=SC2086
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing >/dev/null
