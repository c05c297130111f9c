#!/bin/sh
# docs/devices.md against the built plugins: every type `emu --list-plugins` finds in the
# build tree has a "## `TYPE`" section naming each property, region and line that
# `emu --describe TYPE` prints, and no section documents a type that no longer exists.
. "$EMU_SRCDIR/tests/tap.sh"

doc="$EMU_SRCDIR/docs/devices.md"
[ -r "$doc" ] || skip_all "docs/devices.md is missing"
builddir=${EMU_BUILDDIR:-$(dirname "$EMU")}
unset EMU_PLUGIN_PATH   # only the build tree's plugins (test plugins live elsewhere)

list=$("$EMU" --list-plugins) || { ok 1 "emu --list-plugins runs"; done_testing; exit; }
# The FILE column: types whose shared object is under the build tree's plugins/.
types=$(printf '%s\n' "$list" | awk -v dir="$builddir/plugins/" \
    'NR > 1 && index($0, " " dir) { print $1 }')
[ -n "$types" ] || { ok 1 "--list-plugins shows types from $builddir/plugins"; done_testing; exit; }

# The text of section "## `TYPE`": from its heading to the next "## " heading.
section() {
    awk -v h="## \`$1\`" '$0 == h { on = 1; next } on && /^## / { exit } on { print }' "$doc"
}

# Names in a describe output's blocks: each entry line is two spaces, then the name.
block_names() {
    printf '%s\n' "$1" | awk '
        /^(properties|regions|input lines|output lines):$/ { on = 1; next }
        /^$/ { on = 0; next }
        on && /^  [^ ]/ { print $1 }'
}

for t in $types; do
    text=$(section "$t")
    if [ -z "$text" ]; then
        ok 1 "$t: docs/devices.md has a section ## \`$t\`"
        continue
    fi
    if ! desc=$("$EMU" --describe "$t"); then
        ok 1 "$t: emu --describe $t runs"
        continue
    fi
    missing=
    for n in $(block_names "$desc"); do
        case "$text" in
        *"\`$n\`"*) ;;
        *) missing="$missing $n" ;;
        esac
    done
    if [ -z "$missing" ]; then
        ok 0 "$t: documented with every property, region and line"
    else
        ok 1 "$t: docs/devices.md does not name:$missing"
    fi
done

stale=
for h in $(sed -n 's/^## `\([^`]*\)`$/\1/p' "$doc"); do
    printf '%s\n' "$types" | grep -qx -- "$h" || stale="$stale $h"
done
if [ -z "$stale" ]; then
    ok 0 "every type section documents a type the build has"
else
    ok 1 "sections for types the build does not have:$stale"
fi
done_testing
