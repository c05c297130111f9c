#!/bin/sh
# TAP: run each guest test program of tests/guests/user under `emu --user` (static or dynamic
# build, the first argument) and compare its standard output and exit status with NAME.expected.
# NAME.args, when present, holds one invocation's arguments per line.  When qemu-ppc-static is
# available the same runs under it must give the expected output too (the expected files are
# QEMU's and the native kernel's answers, not emu's), except where NAME.qemu-differs says why
# QEMU 7.2 cannot.
set -u
mode=${1:-static}
if [ -z "${PPC_CC:-}" ]; then
    echo "1..0 # SKIP no PowerPC cross compiler (gcc-powerpc-linux-gnu)"
    exit 0
fi
src=$EMU_SRCDIR/tests/guests/user
bin=$EMU_BUILDDIR/tests/guests/user
sysroot=
if [ "$mode" = dyn ]; then
    libc=$($PPC_CC -print-file-name=libc.so.6)
    sysroot=$(cd "$(dirname "$libc")/.." 2>/dev/null && pwd)
    if [ ! -e "$sysroot/lib/ld.so.1" ]; then
        echo "1..0 # SKIP no PowerPC libraries for dynamic programs (libc6-powerpc-cross)"
        exit 0
    fi
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/emu-guests.XXXXXX")
trap 'rm -rf "$work"' EXIT

# run RUNNER PROG ARGS...: stdout then "exit N", into $work/out
run() {
    runner=$1
    prog=$2
    shift 2
    (cd "$work/cwd" && EMU_TEST_VAR=from-the-host timeout 60 $runner "$prog" "$@" >>"$work/out" 2>>"$work/err" </dev/null)
    echo "exit $?" >>"$work/out"
}

run_all() {
    : >"$work/out"
    : >"$work/err"
    rm -rf "$work/cwd"
    mkdir "$work/cwd"
    if [ -f "$src/$name.args" ]; then
        while IFS= read -r args; do
            # shellcheck disable=SC2086
            run "$1" "$bin/$name.$mode" $args
        done <"$src/$name.args"
    else
        run "$1" "$bin/$name.$mode"
    fi
}

n=0
names=$(cd "$src" && ls *.expected | sed 's/\.expected$//')
total=$(echo "$names" | wc -w)
if [ -n "${QEMU_PPC:-}" ]; then total=$((total * 2)); fi
echo "1..$total"
for name in $names; do
    n=$((n + 1))
    if [ ! -x "$bin/$name.$mode" ]; then
        echo "not ok $n - $name ($mode): not built"
        continue
    fi
    emu_cmd="$EMU${sysroot:+ --sysroot $sysroot} --user"
    run_all "$emu_cmd"
    if diff -u "$src/$name.expected" "$work/out" >"$work/diff"; then
        echo "ok $n - $name ($mode) under emu"
    else
        echo "not ok $n - $name ($mode) under emu"
        sed 's/^/# /' "$work/diff" | head -40
        sed 's/^/# stderr: /' "$work/err" | head -10
    fi
    if [ -n "${QEMU_PPC:-}" ]; then
        n=$((n + 1))
        if [ -f "$src/$name.qemu-differs" ]; then
            echo "ok $n - $name ($mode) under qemu # SKIP $(head -1 "$src/$name.qemu-differs")"
            continue
        fi
        run_all "$QEMU_PPC${sysroot:+ -L $sysroot}"
        if diff -u "$src/$name.expected" "$work/out" >"$work/diff"; then
            echo "ok $n - $name ($mode) under qemu agrees with the expected output"
        else
            echo "not ok $n - $name ($mode) under qemu agrees with the expected output"
            sed 's/^/# /' "$work/diff" | head -20
        fi
    fi
done
