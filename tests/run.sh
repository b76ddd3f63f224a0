#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian machine (as root), then runs it all.
# Used verbatim by the README's test command and by CI (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need_apt+=(nginx)
command -v java >/dev/null || need_apt+=(default-jre-headless)
command -v npm >/dev/null || need_apt+=(npm)
command -v pandoc >/dev/null || need_apt+=(pandoc)  # the reference for citations
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'

# Nu HTML Checker and axe-core come from npm; install scripts stay off (vnu-jar's would fetch a JDK).
if [ -f tests/js/package.json ]; then
  npm ci --prefix tests/js --ignore-scripts --no-audit --no-fund --silent
fi

exec .venv/bin/python -m pytest "$@"
