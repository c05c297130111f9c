#!/bin/sh
# docs/lua-api.md documents the whole Lua API: every function the host registers (the luaL_Reg
# tables of core/lua/) is named in a section heading, and every ready-made script of lua/ is
# listed.
. "$EMU_SRCDIR/tests/tap.sh"
doc="$EMU_SRCDIR/docs/lua-api.md"
[ -f "$doc" ] || skip_all "docs/lua-api.md is not in this tree"
headings=$(grep -E '^#+ ' "$doc")

for src in "$EMU_SRCDIR"/core/lua/lua-*.c; do
    names=$(grep -o '{ "[a-z_0-9]*", l_' "$src" | sed 's/{ "\([a-z_0-9]*\)".*/\1/' | sort -u)
    for name in $names; do
        printf '%s\n' "$headings" | grep -qE "[.:]$name([^a-z_0-9]|\$)"
        ok $? "documented: $name (${src##*/})"
    done
done
for name in serial api_version pc id icount; do
    printf '%s\n' "$headings" | grep -qE "[.:]$name([^a-z_0-9]|\$)"
    ok $? "documented: $name"
done
for script in "$EMU_SRCDIR"/lua/*.lua; do
    name=${script##*/}
    grep -q "^| \`$name\` |" "$doc"
    ok $? "ready-made script listed: $name"
done
done_testing
