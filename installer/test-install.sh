#!/usr/bin/env bash
# Checks installer/install.sh the way a user runs it, in throw-away folders: install to a prefix
# (bundles and the mixmate command complete and identical to the build; the command runs from
# its link in bin/), the installed copy loads in a real host's
# scanner (Ardour 7, when installed), reinstalling is idempotent, --uninstall removes both
# bundles and the command, and --tarball writes a release whose own installer installs it. The last line is
# "N passed, N failed, N skipped" (a check that cannot set itself up exits 77 and is skipped, never
# passed); exit status non-zero on any failure. Run by native/run-tests.sh.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundles="${MIXMATE_BUNDLE_DIR:-$root/artifacts/vst3}"
cli="${MIXMATE_CLI_DIR:-$root/artifacts/cli}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
skipped=0
check() { # description, command... (exit 77: cannot be checked here)
  local what="$1"; shift
  local rc=0
  "$@" >"$work/out" 2>&1 || rc=$?
  if [[ $rc == 0 ]]; then
    passed=$((passed + 1)); echo "  ok   $what"
  elif [[ $rc == 77 ]]; then
    skipped=$((skipped + 1)); echo "  SKIP $what: $(tail -1 "$work/out")"
  else
    failed=$((failed + 1)); echo "  FAIL $what"; sed 's/^/       /' "$work/out"
  fi
}
same_bundles() { # dir [cli dir]
  for n in "MixMate" "MixMate Tone"; do
    diff -rq "$bundles/$n.vst3" "$1/$n.vst3" || return 1
  done
  [[ -z "${2:-}" ]] || diff -rq -x .built "$cli" "$2" || return 1
}
command_runs() { # bin dir
  [[ -L "$1/mixmate" ]] && "$1/mixmate" --version | grep -q '^mixmate [0-9]'
}
scanner_loads() { # dir
  local scanner=/usr/lib/ardour7/ardour-vst3-scanner
  [[ -x "$scanner" ]] || { echo "Ardour 7 is not installed (apt-get install ardour)"; return 77; }
  for n in "MixMate" "MixMate Tone"; do
    XDG_CACHE_HOME="$work/cache" LD_LIBRARY_PATH=/usr/lib/ardour7 "$scanner" -f -v "$1/$n.vst3" | grep -q "name=\"$n\"" || return 1
  done
}
absent() { [[ ! -e "$1/MixMate.vst3" && ! -e "$1/MixMate Tone.vst3" ]]; }

echo "Installer"
prefix="$work/prefix/lib/vst3"
check "install --prefix: both bundles and the command, identical to the build" \
  bash -c "'$root/installer/install.sh' --prefix '$prefix' && $(declare -f same_bundles); bundles='$bundles' cli='$cli' same_bundles '$prefix' '$work/prefix/lib/mixmate'"
check "the installed mixmate runs from its link in bin/" \
  bash -c "$(declare -f command_runs); command_runs '$work/prefix/bin'"
check "the installed bundles load in Ardour's VST3 scanner" \
  bash -c "$(declare -f scanner_loads); work='$work' scanner_loads '$prefix'"
check "reinstalling over an installation is idempotent" \
  bash -c "'$root/installer/install.sh' --prefix '$prefix' && $(declare -f same_bundles); bundles='$bundles' same_bundles '$prefix'"
check "--uninstall --prefix removes both bundles and the command" \
  bash -c "'$root/installer/install.sh' --uninstall --prefix '$prefix' && $(declare -f absent); absent '$prefix' \
    && [[ ! -e '$work/prefix/bin/mixmate' && ! -e '$work/prefix/lib/mixmate' ]]"
check "--tarball writes a release that installs itself" \
  bash -c "'$root/installer/install.sh' --tarball '$work/release' && tar -C '$work/release' -xzf '$work/release'/mixmate-vst3-*.tar.gz \
    && '$work/release'/mixmate-vst3-*/installer/install.sh --prefix '$work/from-tarball' \
    && $(declare -f same_bundles); bundles='$bundles' cli='$cli' same_bundles '$work/from-tarball' '$work/from-tarball/mixmate-cli' \
    && '$work/from-tarball/bin/mixmate' --version"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[[ $failed -eq 0 ]]
