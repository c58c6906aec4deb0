#!/bin/sh
# loginwindow-imports.sh NM OUT OBJECTS... -- ARCHIVES...
# Writes OUT.list, a linker dynamic list of the symbols the login-window plugin's objects use and Fedsync's
# static libraries define, and OUT.rsp, a response file of linker options (-u) that make a host executable
# contain each of them (ui/loginplugin/CMakeLists.txt).
set -eu
nm=$1 out=$2
shift 2
objects=""
while [ "$1" != "--" ]; do objects="$objects $1"; shift; done
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2086 # the object and archive lists are paths without spaces (CMake's build tree)
"$nm" --undefined-only --format=just-symbols $objects | sort -u >"$tmp/wanted"
"$nm" --defined-only --format=just-symbols "$@" 2>/dev/null | sort -u >"$tmp/defined"
comm -12 "$tmp/wanted" "$tmp/defined" >"$tmp/imports"
if [ ! -s "$tmp/imports" ]; then
    echo "loginwindow-imports.sh: the plugin uses nothing of Fedsync's libraries: the list is wrong" >&2
    exit 1
fi
{ echo "{"; sed 's/.*/  &;/' "$tmp/imports"; echo "};"; } >"$out.list"
sed 's/^/-Wl,--undefined=/' "$tmp/imports" >"$out.rsp"
