#!/bin/sh
# SDK headers: each compiles on its own as strict C99 and as C++11, C++ sees C linkage, and
# every function has a doc comment.
. "$EMU_SRCDIR/tests/tap.sh"
inc="$EMU_SRCDIR/sdk/include"
cc=${CC:-cc}
cxx=${CXX:-c++}
command -v "$cc" >/dev/null 2>&1 || skip_all "no C compiler '$cc'"
have_cxx=yes
command -v "$cxx" >/dev/null 2>&1 || have_cxx=no
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# skip DESCRIPTION REASON: a TAP test that could not run here.
skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1 # SKIP $2"; }

for h in "$inc"/emu/*.h; do
    name=${h##*/}
    # Every function has a comment: the declaration (or the group of declarations and
    # inline functions it belongs to, with no blank line between) follows a comment.
    undocumented=$(awk '
        { line[NR] = $0 }
        /^(EMU_API|static inline)/ {
            doc = 0
            for (i = NR - 1; i > 0; i--) {
                l = line[i]
                if (l ~ /^[ \t]*$/ || l ~ /^}.*;[ \t]*$/) break
                if (l ~ /\*\/[ \t]*$/) { doc = 1; break }
            }
            if (!doc) { n = $0; sub(/\(.*/, "", n); sub(/.*[ *]/, "", n); printf " %s", n }
        }' "$h")
    is "$undocumented" "" "emu/$name: every function has a doc comment"
    # Twice, to check the include guard too.
    printf '#include <emu/%s>\n#include <emu/%s>\nint emu_sdk_header_test;\n' "$name" "$name" > "$tmp/t.c"
    "$cc" -std=c99 -pedantic -Wall -Wextra -Werror -fsyntax-only -I"$inc" "$tmp/t.c" 2>"$tmp/err"
    st=$?
    ok $st "emu/$name compiles alone as C99 (-pedantic -Wall -Wextra -Werror)"
    [ $st -eq 0 ] || sed 's/^/#   /' "$tmp/err"

    if [ $have_cxx = no ]; then
        skip "emu/$name compiles as C++11 with C linkage" "no C++ compiler '$cxx'"
        continue
    fi
    # Take the address of every function the header declares: with C linkage
    # the object file refers to the plain names, never to mangled ones.
    # (Those of the SDK headers it includes count too, so emu.h checks them all.)
    deps=$(sed -n 's/^#include "\([a-z0-9-]*\.h\)"$/\1/p' "$h" | sed "s|^|$inc/emu/|")
    fns=$(cat "$h" $deps | grep -v '^[[:space:]]*#' | grep 'EMU_API' | grep -o 'emu_[a-z0-9_]*(' |
          sed 's/($//' | sort -u)
    {
        printf '#include <emu/%s>\n' "$name"
        printf 'typedef void (*any_fn)(void);\n'
        printf 'extern "C" { extern const any_fn emu_sdk_refs[]; }\n'
        printf 'const any_fn emu_sdk_refs[] = {\n'
        for f in $fns; do printf '    reinterpret_cast<any_fn>(&%s),\n' "$f"; done
        printf '    0 };\n'
    } > "$tmp/t.cc"
    "$cxx" -std=c++11 -pedantic -Wall -Wextra -Werror -c -o "$tmp/t.o" -I"$inc" "$tmp/t.cc" 2>"$tmp/err"
    st=$?
    if [ $st -eq 0 ]; then
        mangled=$(nm -u "$tmp/t.o" | awk '$2 ~ /^_Z/ { printf "%s ", $2 }')
        [ -z "$mangled" ] || { st=1; echo "C++ linkage for: $mangled" > "$tmp/err"; }
    fi
    ok $st "emu/$name compiles as C++11 and its $(echo $fns | wc -w) functions have C linkage"
    [ $st -eq 0 ] || sed 's/^/#   /' "$tmp/err"
done

done_testing
