#!/usr/bin/env bash
# Headless Chromium for the report's browser tests (Debian's package; no download by Playwright).
# A no-op when /usr/bin/chromium exists. Installs with apt-get when running as root; otherwise
# says what to run (the browser tests then skip outside CI).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "install_browser: /usr/bin/chromium is missing; run 'sudo apt-get install -y chromium'" >&2
if [ -n "${CI:-}" ]; then
  exit 1
fi
