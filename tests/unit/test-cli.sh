#!/bin/sh
# Command-line tests: help, version, usage errors and their exit status.
. "$EMU_SRCDIR/tests/tap.sh"

out=$("$EMU" --help); st=$?
ok $st "--help exits 0"
like "$out" "--machine FILE" "help lists --machine"
like "$out" "--user PROGRAM" "help lists --user"
out=$("$EMU" --version); st=$?
ok $st "--version exits 0"
hdr="$EMU_SRCDIR/sdk/include/emu/plugin.h"
abi=$(sed -n 's/^#define EMU_ABI_MAJOR \([0-9]*\)$/\1/p' "$hdr").$(sed -n 's/^#define EMU_ABI_MINOR \([0-9]*\)$/\1/p' "$hdr")
like "$out" "plugin ABI $abi" "version names the plugin ABI ($abi, as emu/plugin.h)"

err=$("$EMU" --frobnicate 2>&1); st=$?
is $st 2 "unknown option exits 2"
like "$err" "frobnicate" "names the unknown option"
err=$("$EMU" --set noequals 2>&1); st=$?
is $st 2 "--set without = exits 2"
like "$err" "expected KEY=VALUE" "says what --set expects"
err=$("$EMU" --log bogus 2>&1); st=$?
is $st 2 "--log with an unknown category exits 2"
like "$err" "valid: info, guest" "lists the log categories"
err=$("$EMU" --gdb 99999 2>&1); st=$?
is $st 2 "--gdb with a bad port exits 2"
err=$("$EMU" stray 2>&1); st=$?
is $st 2 "a stray argument exits 2"
err=$("$EMU" --strace 2>&1); st=$?
is $st 2 "--strace without --user exits 2"
err=$("$EMU" --machine /nonexistent/m.yaml 2>&1); st=$?
is $st 2 "a missing machine file exits 2"
like "$err" "/nonexistent/m.yaml" "names the missing machine file"
done_testing
