#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# fetch-kernel.sh DEST - unpack Debian's linux-image-cloud-amd64 kernel into
# DEST (DEST/boot/vmlinuz-*) without installing it: apt-get download of the
# versioned package the metapackage depends on, then dpkg-deb -x.
# Exit 0 when a kernel is there, 1 when it cannot be fetched.
set -euo pipefail
dest=$1
mkdir -p "$dest"
cd "$dest"
if compgen -G 'boot/vmlinuz-*' >/dev/null; then
	exit 0
fi
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || exit 1
pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
	awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
[[ -n $pkg ]] || { echo "fetch-kernel: no linux-image-cloud-amd64 in the apt lists" >&2; exit 1; }
apt-get download "$pkg" >/dev/null 2>&1 || { echo "fetch-kernel: apt-get download $pkg failed" >&2; exit 1; }
dpkg-deb -x "$pkg"_*.deb .
rm -f "$pkg"_*.deb
compgen -G 'boot/vmlinuz-*' >/dev/null
