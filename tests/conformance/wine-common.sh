# Shared by run-under-wine.sh and tools/probe/probe-both.sh (sourced, not run,
# by scripts that set -euo pipefail): the Windows toolchain, and Wine in a
# throw-away prefix.

# The MinGW-w64 compiler with the posix thread model, so std::thread works.
wine_cxx=x86_64-w64-mingw32-g++-posix

# Installs wine and the MinGW-w64 compiler (Debian packages) when missing.
# wine64 alone does not provide the `wine` command (the package `wine` is only
# recommended); g++-mingw-w64-x86-64 brings the posix-thread compiler.
ensure_wine_tools() {
  local packages=(wine wine64 g++-mingw-w64-x86-64) missing=() p
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  echo "ntsem: installing ${missing[*]}" >&2
  local as_root=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "ntsem: need root to install ${missing[*]}" >&2; return 1; }
    as_root=(sudo)
  fi
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -q --no-install-recommends \
    "${missing[@]}"
}

# Builds one Windows program: wine_build OUT.exe SOURCE... [-Iinclude...]
wine_build() {
  local exe=$1
  shift
  "$wine_cxx" -std=c++20 -O2 -static -Wall -Wextra -Wpedantic -Wshadow -Wconversion \
    -Wno-sign-conversion -Werror -o "$exe" "$@"
}

# Runs a Windows program in a new prefix, then stops Wine and removes the
# prefix: wine_run EXE [ARG...].  Its output comes with Unix line ends; its
# exit status is the program's (the caller sets -o pipefail), 124 if it ran
# longer than $NTSEM_WINE_TIMEOUT seconds (default 600: a hung case must not
# hang CI).
wine_run() {
  local prefix status=0
  prefix=$(mktemp -d "${TMPDIR:-/tmp}/ntsem-wine.XXXXXX")
  # The first run creates the prefix (a few seconds) and prints harmless noise
  # about the missing 32-bit rundll32; Mono and Gecko are not needed.
  WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" \
    timeout --kill-after=10 "${NTSEM_WINE_TIMEOUT:-600}" wine "$@" \
    2> >(grep -v -e 'syswow64' -e 'has been updated' >&2) | tr -d '\r' || status=$?
  # Wine leaves wineserver and winedevice.exe running: stop them and wait, so
  # that nothing outlives the run.
  WINEPREFIX=$prefix wineserver -k 2>/dev/null || true
  WINEPREFIX=$prefix wineserver -w 2>/dev/null || true
  rm -rf "$prefix"
  return "$status"
}
