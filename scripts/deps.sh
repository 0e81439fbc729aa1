#!/usr/bin/env bash
# Installs what Herald needs to build (deps.sh run) or to test (deps.sh test).
# Debian/Ubuntu: installs the apt packages (with sudo when not root).
# Elsewhere: says what to install, then carries on with what is there.
set -euo pipefail
mode=${1:-run}

RUN_PKGS=(build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev)
TEST_PKGS=(xvfb xauth xdotool imagemagick dbus dbus-x11 gnome-keyring libnotify-bin chromium fonts-liberation fonts-noto-color-emoji curl)

need_cmd() {
  command -v "$1" >/dev/null 2>&1 || { echo "deps: $1 is required: $2" >&2; exit 1; }
}
need_cmd go "install Go 1.26 or newer from https://go.dev/dl/"
need_cmd node "install Node.js 20 or newer from https://nodejs.org/"
need_cmd npm "install npm (it comes with Node.js)"

case "$(uname -s)" in
Linux)
  pkgs=("${RUN_PKGS[@]}")
  [ "$mode" = test ] && pkgs+=("${TEST_PKGS[@]}")
  if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    missing=()
    for p in "${pkgs[@]}"; do
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
      sudo=""
      if [ "$(id -u)" -ne 0 ]; then
        need_cmd sudo "run as root or install sudo to let make install: ${missing[*]}"
        sudo=sudo
      fi
      echo "deps: installing ${missing[*]}"
      export DEBIAN_FRONTEND=noninteractive
      $sudo apt-get update -qq
      $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
  elif ! pkg-config --exists webkit2gtk-4.1 gtk+-3.0 2>/dev/null; then
    cat >&2 <<'MSG'
deps: this is not a Debian/Ubuntu system. Install with your package manager:
  GTK 3 and WebKitGTK 4.1 development files, pkg-config and a C compiler
  (Fedora: sudo dnf install gtk3-devel webkit2gtk4.1-devel pkgconf gcc;
   Arch: sudo pacman -S gtk3 webkit2gtk-4.1 pkgconf base-devel)
then run make again.
MSG
    exit 1
  fi
  ;;
Darwin)
  if ! xcode-select -p >/dev/null 2>&1; then
    echo "deps: install the Xcode command line tools first: xcode-select --install" >&2
    exit 1
  fi
  [ "$mode" = test ] && echo "deps: the desktop and keyring tests need Linux (Xvfb, D-Bus); on macOS make test runs the Go and front-end tests." >&2
  ;;
MINGW*|MSYS*|CYGWIN*)
  echo "deps: Windows needs the WebView2 runtime (preinstalled on Windows 10/11); nothing else to install." >&2
  [ "$mode" = test ] && echo "deps: the desktop and keyring tests need Linux; on Windows make test runs the Go and front-end tests." >&2
  ;;
esac
