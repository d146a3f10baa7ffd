#!/usr/bin/env bash
# Installs the Debian packages the app needs, if any is missing.
#   scripts/install_system_packages.sh        the app and its tests: WeasyPrint's
#                                             libraries, poppler-utils (pdftotext,
#                                             pdftoppm), Chromium and its driver,
#                                             redis-server for the fault tests, and
#                                             postgresql-client (pg_dump, pg_restore)
#                                             for the backup and restore drill
#   scripts/install_system_packages.sh run    only what the running app needs
#                                             (WeasyPrint's libraries and fonts)
# Needs root (CI runs as root); otherwise it prints the apt-get line to run.
set -euo pipefail
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2)
if [ "${1:-test}" != "run" ]; then
  packages+=(chromium chromium-driver poppler-utils redis-server postgresql-client)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 0
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Another apt-get may hold the lock for a while (say, unattended upgrades).
apt_options=(-o DPkg::Lock::Timeout=300)
apt-get "${apt_options[@]}" update -qq
apt-get "${apt_options[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
