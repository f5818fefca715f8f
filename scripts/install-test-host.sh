#!/usr/bin/env bash
# Installs the VS Code that the integration tests, the benchmark and `npm start` run in:
# code-server (VS Code with a Node extension host, from the npm registry) and Debian's chromium
# (driven by playwright-core). @vscode/test-electron cannot download VS Code on machines that
# reach only the npm registry and Debian's packages; see /work/shared/TESTING.md.
#
# Idempotent: reuses the installed code-server when its marker file says the same version is
# installed. Safe to run on a brand-new Debian machine as root (CI). Prints one line per part
# (present, or installed and how long it took); the commands' own output goes to a log shown on failure.
#
#   bash scripts/install-test-host.sh            # install or reuse (~/.cache/llm-balance/code-server-<version>)
#   CODE_SERVER_DIR=/some/dir bash scripts/...   # install elsewhere (never inside the repository)
set -euo pipefail

CODE_SERVER_VERSION="4.100.3"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# Outside the repository on purpose: a workbench whose extensionDevelopmentPath is a parent of
# VS Code's built-in extensions applies the first built-in theme under it (Abyss) instead of the
# user's theme. Being outside the clone also lets CI's fresh clones on one machine share it.
# scripts/vscode-host.mjs computes the same default.
DIR="${CODE_SERVER_DIR:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/llm-balance/code-server-$CODE_SERVER_VERSION}"
MARKER="$DIR/.installed"
LOG="$(dirname "$DIR")/install-test-host.log"
mkdir -p "$(dirname "$DIR")"

t0=$(date +%s)
step() { printf '[test-host] %s\n' "$*"; }
# Runs a command with its output sent to the log; on failure prints the log's tail and exits.
quiet() {
  if ! "$@" >>"$LOG" 2>&1; then
    echo "[test-host] FAILED: $*" >&2
    tail -n 40 "$LOG" >&2
    exit 1
  fi
}

# --- Debian packages ---------------------------------------------------------------------
# chromium: the browser the workbench runs in; ripgrep: the `rg` VS Code's search and file
# pickers spawn (code-server's scripts-off install lacks @vscode/ripgrep's download);
# prometheus + alertmanager: promtool and the real engines the OpenMetrics / rules tests run;
# fonts-noto-cjk: the zh-CN screenshots; systemd: systemd-analyze verifies contrib's unit.
# One apt-get update + install for all that are missing.
APT_PACKAGES=(chromium ripgrep prometheus prometheus-alertmanager fonts-noto-cjk systemd)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  step "apt packages: all present (${APT_PACKAGES[*]})"
else
  t=$(date +%s)
  step "apt packages: installing ${missing[*]}…"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null; then SUDO="sudo"; else
      echo "[test-host] missing ${missing[*]} and we are not root: run 'apt-get install -y ${missing[*]}' as root." >&2
      exit 1
    fi
  fi
  : >"$LOG"
  # Another engineer's apt-get may hold the dpkg lock for a while: wait for it rather than fail.
  APT=(env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300)
  quiet $SUDO "${APT[@]}" update
  quiet $SUDO "${APT[@]}" install -y --no-install-recommends "${missing[@]}"
  step "apt packages: installed ${missing[*]} in $(( $(date +%s) - t )) s"
fi
for bin in /usr/bin/chromium /usr/bin/rg /usr/bin/promtool /usr/bin/prometheus /usr/bin/prometheus-alertmanager /usr/bin/systemd-analyze; do
  [ -x "$bin" ] || { echo "[test-host] after apt-get there is no $bin" >&2; exit 1; }
done

# --- code-server ---------------------------------------------------------------------------
ENTRY="$DIR/node_modules/code-server/out/node/entry.js"
if [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$CODE_SERVER_VERSION" ] && [ -f "$ENTRY" ]; then
  step "code-server $CODE_SERVER_VERSION: present in $DIR"
else
  t=$(date +%s)
  step "code-server $CODE_SERVER_VERSION: installing into $DIR (about a minute)…"
  rm -rf "$DIR"
  mkdir -p "$DIR"
  : >"$LOG"
  # Its own install script fails here (root wants --unsafe-perm; a dependency downloads
  # ripgrep from outside), so install with scripts off and build the native parts by hand.
  export npm_config_update_notifier=false npm_config_loglevel=warn
  quiet npm install --prefix "$DIR" --ignore-scripts --no-audit --no-fund "code-server@$CODE_SERVER_VERSION"
  VS="$DIR/node_modules/code-server/lib/vscode"
  (cd "$VS" && quiet npm install --omit=dev --ignore-scripts --no-audit --no-fund)
  (cd "$VS" && quiet npm rebuild @vscode/spdlog native-watchdog @parcel/watcher)
  ln -sfn node_modules "$VS/node_modules.asar"
  (cd "$DIR" && quiet npm rebuild argon2)
  [ -f "$ENTRY" ] || { echo "[test-host] no $ENTRY after install" >&2; exit 1; }
  echo "$CODE_SERVER_VERSION" >"$MARKER"
  step "code-server: installed in $(( $(date +%s) - t )) s"
fi

# --- holes of the scripts-off install ---------------------------------------------------------
# @vscode/ripgrep fetches its binary in an install script, which never ran: without it every
# search, quick open and settings filter raises "spawn …/rg ENOENT" toasts. Debian's is the same
# tool; the link is checked on every run so an older install gets it too.
RG_BIN="$DIR/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"
if [ "$(readlink "$RG_BIN" 2>/dev/null)" != /usr/bin/rg ]; then
  mkdir -p "$(dirname "$RG_BIN")"
  ln -sfn /usr/bin/rg "$RG_BIN"
  step "ripgrep: linked /usr/bin/rg into code-server ($("$RG_BIN" --version | head -n1))"
else
  step "ripgrep: linked"
fi

step "ready in $(( $(date +%s) - t0 )) s"
