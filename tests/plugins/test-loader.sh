#!/bin/sh
# Plugin loader tests: discovery by --plugin-dir, listing, describing, and refusal of broken modules.
. "$EMU_SRCDIR/tests/tap.sh"
P="$EMU_BUILDDIR/tests/plugins"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The ABI of this tree's headers.
hdr="$EMU_SRCDIR/sdk/include/emu/plugin.h"
major=$(sed -n 's/^#define EMU_ABI_MAJOR \([0-9]*\)$/\1/p' "$hdr")
minor=$(sed -n 's/^#define EMU_ABI_MINOR \([0-9]*\)$/\1/p' "$hdr")

out=$("$EMU" --plugin-dir "$P/good" --list-plugins 2>"$tmp/err"); st=$?
ok $st "--list-plugins succeeds"
like "$out" "tp-widget" "lists the test type"
like "$out" "1.2.3" "lists the plugin version"
like "$out" "a widget for plugin tests" "lists the one-line doc"
like "$out" "tests/plugins/good/.libs/tp_good.so" "lists the shared object it came from"
# Columns are as wide as their longest entry: FILE starts at the same place on every line.
col=$(printf '%s\n' "$out" | awk 'NR == 1 { c = index($0, "FILE") } NR > 1 && index($0, $NF) != c { bad = 1 } END { print bad ? "misaligned" : "aligned" }')
is "$col" aligned "the FILE column is aligned"
# tp_old declares ABI 1.0 with the 1.0 sizes of emu_plugin_desc and emu_type.
[ "$minor" -gt 0 ]; ok $? "the ABI minor ($major.$minor) is newer than tp_old's 1.0"
like "$out" "tp-old-widget" "a plugin built against the older ABI 1.0 loads"

out=$("$EMU" --plugin-dir "$P/good" --describe tp-widget 2>&1); st=$?
ok $st "--describe succeeds"
like "$out" "size" "describes a property"
like "$out" "= 4K" "shows the default"
like "$out" "how big the widget is" "shows the property doc"
like "$out" "regs" "describes regions"
like "$out" "irq" "describes output lines"
like "$out" "reset" "describes input lines"

out=$("$EMU" --plugin-dir "$P/good" --describe no-such-type 2>&1); st=$?
is $st 2 "--describe of an unknown type exits 2"
like "$out" "unknown type 'no-such-type'" "names the unknown type"
like "$out" "tp-widget" "lists the valid choices"

err=$("$EMU" --plugin-dir "$P/major" --list-plugins 2>&1 >/dev/null)
like "$err" "built for emu ABI 99.4, but this emu has ABI $major.$minor" \
    "wrong ABI major refused, both versions named"

err=$("$EMU" --plugin-dir "$P/newer" --list-plugins 2>&1 >/dev/null)
like "$err" "built for emu ABI $major.$((minor + 1)), newer than this emu's ABI $major.$minor" \
    "a plugin of minor EMU_ABI_MINOR + 1 is refused, both versions named"
unlike "$(EMU_PLUGIN_PATH= "$EMU" --plugin-dir "$P/newer" --list-plugins 2>/dev/null)" \
    "tp-newer-widget" "its type is not listed"

err=$("$EMU" --plugin-dir "$P/good" --plugin-dir "$P/clash" --list-plugins 2>&1 >/dev/null)
like "$err" "type 'tp-widget' is already provided by" "type name clash refused"
like "$err" "tp_good" "clash message names the first file"
like "$err" "tp_clash" "clash message names the second file"

err=$("$EMU" --plugin-dir "$P/nodesc" --list-plugins 2>&1 >/dev/null)
like "$err" "not an emu plugin (no 'emu_plugin' descriptor symbol" "module without descriptor refused"

mkdir "$tmp/junk" && echo "this is not an ELF file" > "$tmp/junk/junk.so"
err=$("$EMU" --plugin-dir "$tmp/junk" --list-plugins 2>&1 >/dev/null); st=$?
like "$err" "junk: cannot load plugin" "a file that is not a shared object is refused"
ok $st "a broken module does not stop a listing"

# The current directory is never searched implicitly.
out=$(cd "$P/good/.libs" && "$EMU" --list-plugins 2>/dev/null)
unlike "$out" "tp-widget" "nothing is loaded from the current directory"

out=$(EMU_PLUGIN_PATH="$P/good" "$EMU" --list-plugins 2>/dev/null)
like "$out" "tp-widget" "EMU_PLUGIN_PATH is searched"

done_testing
