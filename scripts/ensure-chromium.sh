#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (/usr/bin/chromium) with playwright-core, which never
# downloads a browser. On a fresh machine of this kind (Debian, root) install it; elsewhere say how.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "pglive tests: installing Debian's chromium for the browser tests (apt-get install chromium)…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "pglive tests: /usr/bin/chromium is missing and cannot be installed here (not root / no apt-get)." >&2
echo "              Install Chromium (e.g. 'sudo apt-get install chromium'); the e2e tests will fail without it." >&2
