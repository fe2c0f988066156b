#!/usr/bin/env bash
# Installs the tools the comparison benchmark (`cargo bench -p fleetdoc-diagram --bench
# compare`) runs beside fleetdoc: Debian's graphviz (`dot`), Debian's chromium, and
# Mermaid's command line (`mmdc`, from npm, told to use that chromium instead of
# downloading its own) into target/bench-tools/. Not part of CI: the benchmark prints
# "skipped" for a tool that is missing. Safe to run twice.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../../.." && pwd)"
tools="$root/target/bench-tools"
need_apt=()
command -v dot >/dev/null || need_apt+=(graphviz)
command -v chromium >/dev/null || need_apt+=(chromium)
command -v npm >/dev/null || need_apt+=(npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
mkdir -p "$tools"
if [ ! -x "$tools/node_modules/.bin/mmdc" ]; then
  (cd "$tools" && PUPPETEER_SKIP_DOWNLOAD=1 npm install --silent --no-audit --no-fund @mermaid-js/mermaid-cli@11)
fi
# mmdc drives chromium through puppeteer; point it at Debian's and run it without a sandbox
# (the benchmark runs as an unprivileged user or in a container).
cat > "$tools/puppeteer.json" <<JSON
{"executablePath": "$(command -v chromium)", "args": ["--no-sandbox", "--disable-gpu"]}
JSON
"$tools/node_modules/.bin/mmdc" --version
dot -V
