#!/bin/sh
# TAP: the C++ guest tests/guests/user/sigthrow.cc, built with -fnon-call-exceptions, throws
# from SIGSEGV and SIGFPE handlers through the signal frame and catches in main (static and dynamic
# builds, under emu --user).  It is compiled here with the g++ that goes with $PPC_CC
# (g++-powerpc-linux-gnu); without one the test is skipped.  QEMU 7.2 aborts on it (it maps no
# vDSO, and libgcc's fallback for a signal trampoline without unwind tables aborts).
set -u
if [ -z "${PPC_CC:-}" ]; then
    echo "1..0 # SKIP no PowerPC cross compiler (gcc-powerpc-linux-gnu)"
    exit 0
fi
cxx=$(echo "$PPC_CC" | sed 's/gcc\([^/]*\)$/g++\1/')
if ! command -v "$cxx" >/dev/null 2>&1; then
    echo "1..0 # SKIP no PowerPC C++ cross compiler (g++-powerpc-linux-gnu)"
    exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/emu-sigthrow.XXXXXX")
trap 'rm -rf "$work"' EXIT
cat >"$work/expected" <<'END'
load with a destructor:
  destructor in load
  caught in main: SIGSEGV
load without one:
  caught in main: SIGSEGV
load with a destructor, again:
  destructor in load
  caught in main: SIGSEGV
division by zero:
  destructor in divide
  caught in main: SIGFPE
exit 0
END
libc=$($PPC_CC -print-file-name=libc.so.6)
sysroot=$(cd "$(dirname "$libc")/.." 2>/dev/null && pwd)
echo "1..2"
n=0
for mode in static dyn; do
    n=$((n + 1))
    flags=
    runner="$EMU --user"
    if [ "$mode" = static ]; then
        flags=-static
    elif [ -e "$sysroot/lib/ld.so.1" ]; then
        runner="$EMU --sysroot $sysroot --user"
    else
        echo "ok $n - sigthrow ($mode) # SKIP no PowerPC libraries for dynamic programs"
        continue
    fi
    if ! $cxx $flags -O2 -fnon-call-exceptions -o "$work/sigthrow.$mode" \
            "$EMU_SRCDIR/tests/guests/user/sigthrow.cc" 2>"$work/cc-err"; then
        echo "not ok $n - sigthrow ($mode): does not compile"
        sed 's/^/# /' "$work/cc-err" | head -10
        continue
    fi
    (cd "$work" && timeout 60 $runner "$work/sigthrow.$mode" >"$work/out" 2>"$work/err" </dev/null)
    echo "exit $?" >>"$work/out"
    if diff -u "$work/expected" "$work/out" >"$work/diff"; then
        echo "ok $n - sigthrow ($mode): the exception thrown by the handler is caught in main"
    else
        echo "not ok $n - sigthrow ($mode): the exception thrown by the handler is caught in main"
        sed 's/^/# /' "$work/diff" | head -30
        sed 's/^/# stderr: /' "$work/err" | head -10
    fi
done
