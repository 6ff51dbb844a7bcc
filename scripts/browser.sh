#!/usr/bin/env bash
# The browser the end-to-end tests drive (Microsoft.Playwright with the system browser, no download of its own).
#   scripts/browser.sh install   installs Debian's chromium if missing and prints its path
# Runs as root. Playwright 1.64 drives Chromium 156, which Debian 12 ships.
set -euo pipefail
path=/usr/bin/chromium
if [ ! -x "$path" ]; then
  # One install at a time (dpkg takes a lock; a second apt-get would fail at once).
  exec 9>"${TMPDIR:-/tmp}/customergrains-chromium-install.lock"
  flock 9
  if [ ! -x "$path" ]; then
    echo "installing Chromium (Debian package chromium)…" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq chromium >&2
  fi
  flock -u 9
fi
echo "$path"
