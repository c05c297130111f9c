#!/bin/sh
# docs/plugin-sdk.md stays true to the SDK: every header has a reference section naming each of
# its functions, types and function-like macros, and every excerpt marked
# "<!-- from FILE -->" is copied from FILE line for line ("..." marks an elision).
. "$EMU_SRCDIR/tests/tap.sh"
doc="$EMU_SRCDIR/docs/plugin-sdk.md"
[ -f "$doc" ] || skip_all "docs/plugin-sdk.md is not in this tree"

for h in "$EMU_SRCDIR"/sdk/include/emu/*.h; do
    name=${h##*/}
    grep -q "^### emu/$name\$" "$doc"
    ok $? "emu/$name has a reference section"
    code=$(grep -v '^[[:space:]]*#[[:space:]]*undef' "$h")
    names=$( {
        printf '%s\n' "$code" | grep -v '^[[:space:]]*#' | grep -E 'EMU_API|static inline' |
            grep -o 'emu_[a-z0-9_]*(' | sed 's/($//'
        printf '%s\n' "$code" | grep -oE '^(typedef )?(struct|enum) emu_[a-z0-9_]+|^\} emu_[a-z0-9_]+;' |
            sed 's/.* //; s/;$//'
        printf '%s\n' "$code" | sed -n 's/^#define \(EMU_[A-Z0-9_]*[A-Z0-9]\)(.*/\1/p'
    } | sort -u)
    missing=
    for n in $names; do
        grep -q "\`$n[\`(]" "$doc" || missing="$missing $n"
    done
    is "$missing" "" "docs name every function, type and macro of emu/$name"
done

# Excerpts: lines of fenced blocks after a "from" marker, checked against the file.
awk -v src="$EMU_SRCDIR" '
    function load(f,   line, path) {
        if (f in loaded) return
        loaded[f] = 1
        path = src "/" f
        while ((getline line < path) > 0) { sub(/[ \t]+$/, "", line); have[f, line] = 1 }
        close(path)
    }
    /^<!-- from [^ ]+ -->$/ { from = $3; load(from); want = 1; next }
    want && /^```/ { inblock = 1; want = 0; next }
    inblock && /^```/ { inblock = 0; from = ""; next }
    inblock {
        line = $0; sub(/[ \t]+$/, "", line)
        if (line ~ /^[ \t]*\.\.\.$/ || line == "") next
        if (!((from, line) in have)) printf "%s:%d: not in %s: %s\n", FILENAME, FNR, from, line
        n++
    }
    END { printf "checked %d\n", n > "/dev/stderr" }
' "$doc" >"${TMPDIR:-/tmp}/emu-docs-$$" 2>"${TMPDIR:-/tmp}/emu-docs-count-$$"
is "$(cat "${TMPDIR:-/tmp}/emu-docs-$$")" "" \
    "every excerpt line is in its source file ($(cat "${TMPDIR:-/tmp}/emu-docs-count-$$"))"
rm -f "${TMPDIR:-/tmp}/emu-docs-$$" "${TMPDIR:-/tmp}/emu-docs-count-$$"

done_testing
