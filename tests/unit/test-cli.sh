#!/bin/sh
# Command-line tests: help, version, and every usage error a new user can make — missing, empty,
# repeated, bad and conflicting values — each one message that starts "emu: --OPTION:" (never the
# path of the binary), the hint to --help, and exit status 2, before any machine runs.
. "$EMU_SRCDIR/tests/tap.sh"
work=$(mktemp -d) || skip_all "cannot create a temporary directory"
trap 'rm -rf "$work"' EXIT

# A machine with no CPU whose script ends the run at once, and a script that says it ran.
cat > "$work/m.yaml" <<'EOF'
emu-machine: 1
name: cli
memory:
  ram: { kind: ram, size: 64K, map: system@0x0 }
devices:
  com1: { type: ns16550, map: system@0x1000, props: { chardev: con } }
chardevs: { con: "null" }
EOF
printf 'print("script ran")\nemu.quit(0)\n' > "$work/quit.lua"

out=$("$EMU" --help); st=$?
ok $st "--help exits 0"
like "$out" "--machine FILE" "help lists --machine"
like "$out" "--user PROGRAM" "help lists --user"
out=$("$EMU" --version); st=$?
ok $st "--version exits 0"
hdr="$EMU_SRCDIR/sdk/include/emu/plugin.h"
abi=$(sed -n 's/^#define EMU_ABI_MAJOR \([0-9]*\)$/\1/p' "$hdr").$(sed -n 's/^#define EMU_ABI_MINOR \([0-9]*\)$/\1/p' "$hdr")
like "$out" "plugin ABI $abi" "version names the plugin ABI ($abi, as emu/plugin.h)"
is "$("$EMU" -V)" "$out" "-V is --version"

# usage_error NAME EXPECTED-START ARGS...: status 2, the message starts as given, then the hint,
# nothing else (so no getopt message and no machine output).
usage_error() {
    name=$1 want=$2
    shift 2
    err=$("$EMU" "$@" </dev/null 2>&1); st=$?
    first=$(printf '%s\n' "$err" | head -n 1)
    case "$first" in
    "$want"*) good=0 ;;
    *) good=1 ;;
    esac
    lines=$(printf '%s\n' "$err" | wc -l)
    if [ "$st" = 2 ] && [ "$good" = 0 ] && [ "$lines" = 2 ] &&
       [ "$(printf '%s\n' "$err" | tail -n 1)" = "Try 'emu --help' for the options." ]; then
        ok 0 "$name"
    else
        ok 1 "$name"
        echo "#   status $st, want 2; output:"
        printf '%s\n' "$err" | sed 's/^/#   /'
        echo "#   want a first line starting '$want' and the --help hint"
    fi
}

usage_error "unknown long option" "emu: --frobnicate: unknown option" --frobnicate
usage_error "unknown long option with a value" "emu: --frob: unknown option" --frob=1
usage_error "a near miss suggests the option" "emu: --machines: unknown option (did you mean --machine?)" --machines x
usage_error "_ for - suggests the option" "emu: --save_state: unknown option (did you mean --save-state?)" --save_state x
usage_error "unknown short option" "emu: -x: unknown option" -x
usage_error "unknown short option in a group" "emu: -z: unknown option" -zV
usage_error "ambiguous abbreviation lists the candidates" "emu: --s: ambiguous (could be --set, --sysroot" --s x
usage_error "a value for an option that takes none" "emu: --help: takes no value (got '3')" --help=3
usage_error "--realtime=1" "emu: --realtime: takes no value" --realtime=1
usage_error "--set with no value" "emu: --set: expected KEY=VALUE after it" --set
usage_error "-s with no value (named by its long name)" "emu: --set: expected KEY=VALUE" -s
usage_error "--machine with no value" "emu: --machine: expected a machine file" --machine
usage_error "-m with no value" "emu: --machine: expected a machine file" -m
usage_error "--machine=''" "emu: --machine: expected a machine file (FILE.yaml), got an empty value" --machine=
usage_error "--user with no program" "emu: --user: expected a program to run" --user
usage_error "--user ''" "emu: --user: expected a program to run (PROGRAM [ARGS...]), got an empty value" --user ''
usage_error "--describe with no type" "emu: --describe: expected a type name" --describe
usage_error "--lua with no script" "emu: --lua: expected a Lua script" --lua
usage_error "--log ''" "emu: --log: expected a comma list of log categories" --log ''
usage_error "--set without =" "emu: --set 'noequals': expected KEY=VALUE" --set noequals
usage_error "--set =VALUE" "emu: --set '=x': expected KEY=VALUE" --set =x
usage_error "--log with an unknown category lists the valid ones" "emu: --log: unknown category 'bogus' (valid: info, guest" --log bogus
usage_error "--machine twice" "emu: --machine: given twice ('$work/m.yaml', then '$work/m.yaml')" \
    --machine "$work/m.yaml" -m "$work/m.yaml" --lua "$work/quit.lua"
usage_error "--describe twice" "emu: --describe: given twice" --describe ns16550 --describe stub
usage_error "--save-state twice" "emu: --save-state: given twice" --save-state "$work/a" --save-state "$work/b"
usage_error "--lua of a missing file, before any machine is built" "emu: --lua $work/none.lua: No such file" \
    --machine "$work/m.yaml" --lua "$work/none.lua"
usage_error "--lua SCRIPT,ARGS of a missing script" "emu: --lua $work/none.lua: No such file" --lua "$work/none.lua,a=1"
usage_error "--lua of a directory" "emu: --lua $work: a directory, expected a file" --lua "$work"
usage_error "--plugin-dir that does not exist" "emu: --plugin-dir $work/none: No such file or directory" \
    --plugin-dir "$work/none" --list-plugins
usage_error "--plugin-dir that is a file" "emu: --plugin-dir $work/m.yaml: not a directory" \
    --plugin-dir "$work/m.yaml" --list-plugins
usage_error "--save-state into a missing directory is refused before the run" \
    "emu: --save-state $work/no/x.state: cannot create it in $work/no: No such file" \
    --machine "$work/m.yaml" --lua "$work/quit.lua" --save-state "$work/no/x.state"
usage_error "--save-state naming a directory" "emu: --save-state $work: a directory, expected a file name" \
    --machine "$work/m.yaml" --save-state "$work"
mkfifo "$work/fifo" 2>/dev/null &&
usage_error "--save-state naming a FIFO (it would be replaced by a file)" \
    "emu: --save-state $work/fifo: not a regular file (the snapshot would replace it)" \
    --machine "$work/m.yaml" --save-state "$work/fifo"
ok "$([ -p "$work/fifo" ]; echo $?)" "and the FIFO is still there"
usage_error "--machine with --user" "emu: --user and --machine: give one of them" --machine "$work/m.yaml" --user /bin/true
usage_error "--realtime in user mode" "emu: --realtime: applies to machines, not to user mode" --realtime --user /bin/true
usage_error "--set in user mode" "emu: --set: applies to machines, not to user mode" --set a=b --user /bin/true
usage_error "--save-state in user mode" "emu: --save-state: --save-state and --load-state apply to machines" \
    --save-state "$work/u.state" --user /bin/true
usage_error "--strace without --user" "emu: --strace: applies to user mode" --strace
usage_error "--sysroot without --user" "emu: --sysroot: applies to user mode" --sysroot "$work"
usage_error "--list-plugins with --machine" "emu: --list-plugins: cannot be combined with --machine" \
    --list-plugins --machine "$work/m.yaml"
usage_error "--list-plugins with --describe" "emu: --list-plugins and --describe: give one of them" \
    --describe ns16550 --list-plugins
usage_error "--describe with --user" "emu: --describe: cannot be combined with --user" --describe stub --user /bin/true
usage_error "a stray argument" "emu: unexpected argument 'stray'" stray
usage_error "an argument after --" "emu: unexpected argument 'x'" -- x
usage_error "a machine file without --machine" \
    "emu: unexpected argument '$work/m.yaml' (to run this machine: emu --machine $work/m.yaml)" "$work/m.yaml"
usage_error "a program without --user" "emu: unexpected argument '/bin/true' (to run this program: emu --user /bin/true)" \
    /bin/true
usage_error "--gdb is not an option (there is no gdb stub yet)" "emu: --gdb: unknown option" --gdb 1234

err=$("$EMU" --machine /nonexistent/m.yaml 2>&1); st=$?
is $st 2 "a missing machine file exits 2"
like "$err" "/nonexistent/m.yaml" "names the missing machine file"

# What does work.
out=$("$EMU" --machine="$work/m.yaml" --lua="$work/quit.lua" 2>&1); st=$?
is "$st" 0 "--opt=value forms run the machine"
like "$out" "script ran" "and its script"
out=$("$EMU" -m "$work/m.yaml" -l "$work/quit.lua" 2>&1); st=$?
is "$st:$out" "0:script ran" "short options -m and -l"
out=$("$EMU" --describe stub --plugin-dir "$work" --log guest); st=$?
is "$st" 0 "--describe with --plugin-dir and --log"
like "$out" "stub (device)" "describes the type"
out=$("$EMU" --describe machine 2>&1); st=$?
is "$st" 0 "--describe machine (the machine's own inputs, not a plugin type)"
like "$out" "poweroff" "lists its inputs"
out=$("$EMU" --log help); st=$?
is "$st" 0 "--log help exits 0"
like "$out" "guest" "and lists the categories on stdout"
if [ -w /dev/full ]; then
    err=$("$EMU" --help 2>&1 >/dev/full); st=$?
    is "$st:$err" "1:emu: cannot write to standard output: No space left on device" \
        "--help into a full device: status 1 and a message"
fi
"$EMU" --help >/dev/null 2>"$work/err"; st=$?
is "$st:$(cat "$work/err")" "0:" "--help writes nothing to stderr"

# Standard descriptors closed by the caller: the console must not land in a file emu opens.
cat > "$work/two.yaml" <<EOF
emu-machine: 1
name: two-serial
memory:
  ram: { kind: ram, size: 64K, map: system@0x0 }
devices:
  com1: { type: ns16550, map: system@0x1000, props: { chardev: con } }
  com2: { type: ns16550, map: system@0x1008, props: { chardev: log } }
chardevs: { log: "file:$work/log.txt", con: stdio }
EOF
printf 'for c in ("console"):gmatch(".") do emu.memory():write_u8(0x1000, c:byte()) end\nemu.quit(0)\n' \
    > "$work/say.lua"
"$EMU" --machine "$work/two.yaml" --lua "$work/say.lua" </dev/null >&-; st=$?
is "$st:$(cat "$work/log.txt")" "0:" "with stdout closed, console output does not go into another chardev's file"
out=$("$EMU" --machine "$work/two.yaml" --lua "$work/say.lua" <&-); st=$?
is "$st:$out" "0:console" "with stdin closed, the console still writes stdout and the run ends"

# The user-mode program's argv[0] is PROGRAM however --user was written.
if [ -n "${PPC_CC:-}" ] && printf '#include <stdio.h>\nint main(int c, char **v) { printf("%%s %%d\\n", v[0], c); return 0; }\n' \
        > "$work/argv0.c" && $PPC_CC -static -o "$work/argv0" "$work/argv0.c" 2>/dev/null; then
    for form in "--user=$work/argv0" "-u$work/argv0" "--user $work/argv0" "-u $work/argv0"; do
        is "$("$EMU" $form x 2>&1)" "$work/argv0 2" "emu $(echo "$form" | sed "s|$work/||") x: the program's argv[0] is the program"
    done
else
    for t in 1 2 3 4; do tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP no PowerPC cross compiler"; done
fi

# stdin at its end and nothing scheduled: the machine can never wake up, so emu stops, in both
# time modes (timeout only guards against the hang this checks for).
for mode in "" --realtime; do
    out=$(timeout 20 "$EMU" $mode --machine "$work/two.yaml" </dev/null 2>&1); st=$?
    is "$st" 0 "stdin at EOF, nothing scheduled${mode:+ ($mode)}: emu stops instead of waiting forever"
    like "$out" "the machine is idle" "and says why"
done
done_testing
