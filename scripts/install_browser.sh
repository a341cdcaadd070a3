#!/usr/bin/env bash
# Headless Chromium for the report's browser tests (Debian's package; no download by Playwright).
# A no-op when /usr/bin/chromium exists. Otherwise installs it with apt-get (as root, or through
# sudo when that needs no password). If it cannot: in CI (CI set) it fails, because the browser
# tests must run there; elsewhere it warns loudly and the browser tests are skipped (and listed
# as not run at the end of the test session).
set -euo pipefail
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
apt_install() {
  "$@" apt-get update -qq
  "$@" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}
if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "install_browser: installing chromium with apt-get" >&2
    apt_install || true
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    echo "install_browser: installing chromium with sudo apt-get" >&2
    apt_install sudo -n || true
  fi
fi
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
case "${CI:-}" in
  "" | 0 | false | no)
    echo "install_browser: WARNING: $CHROMIUM is missing and could not be installed;" \
      "the browser tests will be SKIPPED. Install it: sudo apt-get install -y chromium" >&2
    exit 0
    ;;
  *)
    echo "install_browser: $CHROMIUM is missing and could not be installed; in CI the" \
      "browser tests must run" >&2
    exit 1
    ;;
esac
