#!/bin/sh
# Good machine files run from the command line: built from includes, ROM image and script
# found relative to the file, --set overrides applied, the script's exit status returned.
. "$EMU_SRCDIR/tests/tap.sh"
here="$EMU_SRCDIR/tests/machines"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

run() {   # run ARGS...: emu from another folder, no terminal; sets $st, $out, $err
    timeout 10 "$EMU" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
    st=$?
    out=$(cat "$tmp/out")
    err=$(cat "$tmp/err")
}

run --machine "$here/isa-pc.yaml"
is "$st" 0 "isa-pc.yaml builds and its script ends the run with status 0"
is "$out" "isa-pc: script ran
isa-pc: emulated time passes" "the machine's script runs, found relative to the file"
is "$err" "" "nothing on stderr"

cat > other.lua <<'LUA'
print("other script from the current folder")
emu.quit(3)
LUA
run --machine "$here/isa-pc.yaml" --set script=other.lua
is "$st" 3 "--set of a variable: a path given on the command line is relative to the current folder"
is "$out" "other script from the current folder" "the script named by --set ran instead"

run --machine "$here/isa-pc.yaml" --set ram=64K --set devices.flash=null \
    --set devices.com1.props.clock-hz=115200
is "$st" 0 "--set of a variable, a deletion and a property"

run --machine "$here/isa-pc.yaml" --set devices.com1.irq=pic.16
is "$st" 2 "a bad --set value exits 2"
like "$err" "emu: --set devices.com1.irq=pic.16: device 'com1': irq: i8259 'pic': input line 'irq' has 16 elements (0..15); 16 is too large" \
    "the error names the option and the valid range"

run --machine "$here/isa-pc.yaml" --set ram=16Q
is "$st" 2 "a bad variable value exits 2"
like "$err" "isa-pc.yaml:11:27: memory 'ram': '16Q': not a size" "the error points at the value that uses the variable"

plugin="$EMU_BUILDDIR/tests/machines/plugin/mft_devices.la"
run --machine "$here/mft-board.yaml" --set plugin="$plugin"
is "$st" 0 "plugins: loads the types the machine uses (cpu, devices, board)"
is "$out" "built 1" "its script ran"
run --machine "$here/mft-board.yaml"
is "$st" 2 "a plugin that does not exist exits 2"
like "$err" "mft-board.yaml:6:12: plugins: '" "the error points at the plugins entry"

done_testing
