#!/usr/bin/env bash
# Fetches the ONNX Runtime native library MixMate's assistant loads (src/MixMate.Assistant/Onnx).
# Source: the npm package onnxruntime-node (official Microsoft build, MIT), fetched with `npm pack`
# and checked against a pinned SHA-256 before anything is extracted. Only the Linux x64 shared
# library is kept: artifacts/onnxruntime/libonnxruntime.so.1. Idempotent: returns at once when the
# library is already there and the tarball's checksum was verified for it.
# Usage: scripts/fetch-onnxruntime.sh [--force]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="1.30.0"
sha256="6e3390d6b783e7be946fad629292799da28d0b42f84856e50d2c1b0383291e75"
member="package/bin/napi-v6/linux/x64/libonnxruntime.so.1"
cache="${MIXMATE_ORT_CACHE:-$root/artifacts/onnxruntime}"
tarball="$cache/onnxruntime-node-$version.tgz"
lib="$cache/libonnxruntime.so.1"
stamp="$cache/.verified-$version"

if [ "${1:-}" = "--force" ]; then
  rm -f "$stamp" "$lib"
elif [ $# -gt 0 ]; then
  echo "fetch-onnxruntime: unknown argument '$1'" >&2; exit 2
fi

if [ -f "$lib" ] && [ -f "$stamp" ]; then
  exit 0
fi

mkdir -p "$cache"
verify() { [ -f "$tarball" ] && echo "$sha256  $tarball" | sha256sum --check --status; }

if ! verify; then
  command -v npm >/dev/null || { echo "fetch-onnxruntime: npm is required (apt-get install npm)" >&2; exit 1; }
  echo "fetch-onnxruntime: downloading onnxruntime-node@$version" >&2
  rm -f "$tarball"
  (cd "$cache" && npm pack --silent "onnxruntime-node@$version" >/dev/null)
  if ! verify; then
    echo "fetch-onnxruntime: checksum mismatch for $tarball (expected $sha256); refusing to use it" >&2
    rm -f "$tarball"
    exit 1
  fi
fi

tmp="$(mktemp -d "$cache/.extract.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
tar -xzf "$tarball" -C "$tmp" "$member"
mv -f "$tmp/$member" "$lib"
chmod 0644 "$lib"
touch "$stamp"
echo "fetch-onnxruntime: $lib ready" >&2
