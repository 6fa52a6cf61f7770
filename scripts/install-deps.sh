#!/usr/bin/env bash
# Installs the system parts the build, the tests and the demo use, from Debian's package registry only.
# Idempotent: packages already present are not fetched again.
set -euo pipefail

packages=(
  containerd runc fuse3 docker-registry skopeo umoci zlib1g pigz
  mmdebstrap debian-archive-keyring
  golang-go golang-github-containerd-containerd-dev
  apache2-utils openssl iproute2 util-linux procps attr psmisc
  libfuse3-dev gcc pkg-config
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all system packages present"
  exit 0
fi

[ "$(id -u)" = 0 ] || { echo "install-deps: must run as root to install: ${missing[*]}" >&2; exit 1; }
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
# The Debian packages enable their services; tests start private instances instead.
for svc in containerd docker-registry; do
  systemctl disable --now "$svc" >/dev/null 2>&1 || true
done
echo "install-deps: done"
