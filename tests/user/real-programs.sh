#!/bin/sh
# Real programs nobody here wrote, under emu --user and qemu-ppc-static: cross-builds Debian's
# lua5.4 and busybox source packages for 32-bit PowerPC (static), then
#   - runs the Lua scripts of tests/user/lua/ under both and compares output and exit status;
#   - runs busybox's own test suite (testsuite/runtest) with every applet going through emu,
#     then through qemu, and compares the PASS/FAIL list of each test.
# Slow (a few minutes) and needs the sources, so it is not part of make check:
#
#   mkdir src && cd src && apt-get source lua5.4 busybox     (needs a deb-src line)
#   tests/user/real-programs.sh -e BUILD/emu SRC [WORK]
#
# The built binaries stay in WORK (default: a temporary folder), never in the source tree.
# BUSYBOX_SKIP lists applets whose tests are left out (default: bc, whose tests are long
# computations better suited to a benchmark).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
emu=${EMU:-}
qemu=${QEMU_PPC:-qemu-ppc-static}
cc=${PPC_CC:-powerpc-linux-gnu-gcc}
while getopts e:q: opt; do
    case $opt in
    e) emu=$OPTARG ;;
    q) qemu=$OPTARG ;;
    *) exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: $0 [-e EMU] [-q QEMU] SOURCES-FOLDER [WORK-FOLDER]" >&2; exit 2; }
src=$(cd "$1" && pwd)
work=${2:-$(mktemp -d "${TMPDIR:-/tmp}/emu-real.XXXXXX")}
mkdir -p "$work"
work=$(cd "$work" && pwd)
[ -n "$emu" ] && [ -x "$emu" ] || { echo "$0: give the emu to test with -e" >&2; exit 2; }
emu=$(cd "$(dirname "$emu")" && pwd)/$(basename "$emu")
# An uninstalled emu is a libtool wrapper script that runs sed and friends from PATH, which the
# busybox suite points at busybox's applets: use the binary behind it directly.
emu_env=
for real in "$(dirname "$emu")/.libs/lt-emu" "$(dirname "$emu")/.libs/emu"; do
    if [ -x "$real" ] && head -c 2 "$emu" | grep -q '#!'; then
        emu_env="LD_LIBRARY_PATH=$(dirname "$emu")/core/.libs"
        emu=$real
        break
    fi
done
prefix=${cc%gcc}
status=0

# ---- Lua ----
luasrc=$(ls -d "$src"/lua5.4-*/ 2>/dev/null | head -1)
if [ -n "$luasrc" ]; then
    echo "== lua: building $(basename "$luasrc") for PowerPC"
    rm -rf "$work/lua" && cp -r "$luasrc" "$work/lua"
    # Debian's patches turn the makefile into a libtool one and want a generated header:
    # compile the interpreter directly.
    echo '#define DEB_HOST_MULTIARCH "powerpc-linux-gnu"' >"$work/lua/src/lua5.4-deb-multiarch.h"
    $cc -std=gnu99 -O2 -DLUA_USE_LINUX -static -o "$work/lua/src/lua" \
        $(ls "$work"/lua/src/*.c | grep -v '/luac\.c$') -lm >"$work/lua-build.log" 2>&1 ||
        { echo "lua build failed, see $work/lua-build.log"; exit 1; }
    lua=$work/lua/src/lua
    pass=0 fail=0
    for script in "$here"/lua/*.lua; do
        n=$(basename "$script")
        rc=0
        # shellcheck disable=SC2086
        (cd "$work" && EMU_LUA_TEST=set env $emu_env "$emu" --user "$lua" "$script" >"$work/$n.emu" 2>&1) || rc=$?
        echo "exit $rc" >>"$work/$n.emu"
        rc=0
        (cd "$work" && EMU_LUA_TEST=set "$qemu" "$lua" "$script" >"$work/$n.qemu" 2>&1) || rc=$?
        echo "exit $rc" >>"$work/$n.qemu"
        if cmp -s "$work/$n.emu" "$work/$n.qemu"; then
            echo "same   $n"
            pass=$((pass + 1))
        else
            echo "DIFFER $n"
            diff "$work/$n.qemu" "$work/$n.emu" | head -20
            fail=$((fail + 1))
            status=1
        fi
    done
    echo "lua: $pass scripts give the same output under emu and qemu, $fail differ"
else
    echo "== lua: no lua5.4-* source folder in $src, skipped"
fi

# ---- busybox ----
bbsrc=$(ls -d "$src"/busybox-*/ 2>/dev/null | head -1)
if [ -n "$bbsrc" ]; then
    echo "== busybox: building $(basename "$bbsrc") for PowerPC (defconfig, static)"
    rm -rf "$work/busybox" && cp -r "$bbsrc" "$work/busybox"
    cd "$work/busybox"
    make -s CROSS_COMPILE="$prefix" defconfig >"$work/bb-build.log" 2>&1
    sed -i -e 's/^# CONFIG_STATIC is not set/CONFIG_STATIC=y/' \
        -e 's/^CONFIG_TC=y/# CONFIG_TC is not set/' .config
    yes '' | make -s CROSS_COMPILE="$prefix" oldconfig >>"$work/bb-build.log" 2>&1
    make -s -j2 CROSS_COMPILE="$prefix" busybox >>"$work/bb-build.log" 2>&1 ||
        { echo "busybox build failed, see $work/bb-build.log"; exit 1; }
    cd "$work"
    for runner in emu qemu; do
        # Every applet name is a host script that runs the PowerPC busybox with that argv[0].
        bin=$work/bb-$runner
        rm -rf "$bin" && mkdir -p "$bin"
        if [ $runner = emu ]; then
            printf '#!/bin/sh\nEMU_USER_ARGV0="${0##*/}" %s exec "%s" --user "%s" "$@"\n' "$emu_env" "$emu" "$work/busybox/busybox" >"$bin/busybox"
        else
            printf '#!/bin/sh\nexec "%s" -0 "${0##*/}" "%s" "$@"\n' "$qemu" "$work/busybox/busybox" >"$bin/busybox"
        fi
        chmod +x "$bin/busybox"
        cp "$work/busybox/.config" "$bin/.config"
        # The suite wants its source tree around it (it compiles ../scripts/echo.c).
        rm -rf "$work/tree-$runner" && mkdir "$work/tree-$runner"
        cp -r "$work/busybox/testsuite" "$work/busybox/scripts" "$work/tree-$runner/"
        applets=$(cd "$work/tree-$runner/testsuite" &&
            { ls | sed -n 's/\.tests$//p'; ls -d */ | tr -d /; } | sort -u |
            grep -vx -e "$(echo "${BUSYBOX_SKIP-bc}" | sed 's/ /\n/g')" | tr '\n' ' ')
        # shellcheck disable=SC2086
        (cd "$work/tree-$runner/testsuite" && bindir=$bin PATH="$bin:$PATH" \
            timeout 1800 ./runtest -v $applets >"$work/bb-$runner.log" 2>&1) || true
        grep -a -E '^(PASS|FAIL|SKIPPED|UNTESTED):' "$work/bb-$runner.log" | sort >"$work/bb-$runner.results"
    done
    for r in PASS FAIL SKIPPED; do
        printf 'busybox %-7s emu %4d   qemu %4d\n' "$r" "$(grep -c "^$r:" "$work/bb-emu.results" || true)" \
            "$(grep -c "^$r:" "$work/bb-qemu.results" || true)"
    done
    if cmp -s "$work/bb-emu.results" "$work/bb-qemu.results"; then
        echo "busybox: every test gives the same result under emu and qemu"
    else
        echo "busybox: results that differ (qemu < > emu):"
        diff "$work/bb-qemu.results" "$work/bb-emu.results" | grep '^[<>]' | head -60
        status=1
    fi
else
    echo "== busybox: no busybox-* source folder in $src, skipped"
fi
[ -n "${2:-}" ] || rm -rf "$work"
exit $status
