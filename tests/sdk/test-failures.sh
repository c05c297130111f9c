#!/bin/sh
# Plugin failures met through a machine file: the `plugins:` key (paths relative to the
# machine file), and each way a plugin can fail, with the machine file's line in the message.
# (tests/plugins/test-loader.sh covers the same failures found on the search path.)
. "$EMU_SRCDIR/tests/tap.sh"
P="$EMU_BUILDDIR/tests/plugins"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf 'emu-machine: 1\n' > "$tmp/probe.yaml"
case "$("$EMU" --machine "$tmp/probe.yaml" 2>&1 </dev/null)" in
*"not supported yet"*) skip_all "this emu cannot build machines from files yet" ;;
esac

# A folder that stands for a third party's project: the machine file and a build/ folder.
proj="$tmp/project"
mkdir -p "$proj/build" "$proj/other" "$tmp/elsewhere"
cp "$P/good/.libs/tp_good.so" "$proj/build/"
cp "$P/clash/.libs/tp_clash.so" "$P/major/.libs/tp_major.so" "$P/nodesc/.libs/tp_nodesc.so" "$proj/other/"
echo "not a shared object" > "$proj/other/junk.so"

# machine FILE PLUGINS-LIST: a machine with one tp-widget device `w1` (line 5) whose realize
# fails, so that no run of these machines goes on to run forever.
machine() {
    cat > "$proj/$1" <<EOF
emu-machine: 1
name: sdk-failures
plugins: [$2]
devices:
  w1:
    type: tp-widget
    props: { fail: true }
EOF
}
# run FILE: emu from another folder, so that only the machine file's folder can make paths work.
run() { (cd "$tmp/elsewhere" && timeout 20 "$EMU" --machine "$proj/$1" 2>&1 </dev/null); }

machine realize.yaml "./build/tp_good.so"
out=$(run realize.yaml); st=$?
is $st 2 "a device whose realize fails: exit status 2"
like "$out" "widget refused to start (fail=true)" "the plugin's own message"
like "$out" "tp-widget 'w1'" "the device's type and id"
like "$out" "$proj/realize.yaml:5:" "the machine file and the line of the device"
is "$(printf '%s\n' "$out" | wc -l)" 1 "one line"
# The type was found, so `plugins: [./build/tp_good.so]` was read relative to the machine file.
unlike "$out" "unknown" "plugins: resolves ./build/tp_good.so relative to the machine file"

# A machine file given by a bare name, naming a plugin by a bare name: both in the current folder.
machine build/bare.yaml "tp_good.so"
out=$(cd "$proj/build" && timeout 20 "$EMU" --machine bare.yaml 2>&1 </dev/null)
like "$out" "widget refused to start" "plugins: [tp_good.so] next to a machine file run as --machine bare.yaml"

machine folder.yaml "build"
out=$(run folder.yaml)
like "$out" "widget refused to start" "plugins: may name a folder of modules"

machine missing.yaml "./build/tp_missing.so"
out=$(run missing.yaml); st=$?
is $st 2 "a missing plugin file: exit status 2"
like "$out" "$proj/missing.yaml:3:" "names the machine file and the line of the entry"
like "$out" "tp_missing.so" "names the missing file"

machine junk.yaml "other/junk.so"
out=$(run junk.yaml); st=$?
is $st 2 "a file that is not a shared object: exit status 2"
like "$out" "$proj/junk.yaml:3:" "... names the machine file and line"
like "$out" "junk.so: cannot load plugin: not a shared object" "... and says it is not a shared object"

machine major.yaml "other/tp_major.so"
out=$(run major.yaml)
like "$out" "$proj/major.yaml:3:" "wrong ABI major: names the machine file and line"
like "$out" "tp_major.so: plugin built for emu ABI 99.4, but this emu has ABI" "... and both ABI versions"

machine nodesc.yaml "other/tp_nodesc.so"
out=$(run nodesc.yaml)
like "$out" "$proj/nodesc.yaml:3:" "no descriptor: names the machine file and line"
like "$out" "tp_nodesc.so: not an emu plugin (no 'emu_plugin' descriptor symbol" "... and the missing symbol"

machine clash.yaml "build/tp_good.so, other/tp_clash.so"
out=$(run clash.yaml)
like "$out" "$proj/clash.yaml:3:" "type clash: names the machine file and line"
like "$out" "other/tp_clash.so: type 'tp-widget' is already provided by" "... the type and the second file"
like "$out" "build/tp_good.so" "... and the first file"

cp "$proj/build/tp_good.so" "$proj/other/tp_good.module"
machine noext.yaml "other/tp_good.module"
out=$(run noext.yaml)
like "$out" "$proj/noext.yaml:3:" "a file not named .so or .la: names the machine file and line"
like "$out" "expected a .so or .la module" "... and what was expected"

done_testing
