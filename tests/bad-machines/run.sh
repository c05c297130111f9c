#!/bin/sh
# Malformed machine files: each must be refused with exit status 2 and one clear line of error
# that names the file and line, contains the expected words, shows no sanitizer report, and
# comes back in under a second.
#
# Each case is a .yaml file here whose first lines say what to expect:
#   # expect: FRAGMENT      words the message must contain
#   # at: LINE             the line the message must name ("--set KEY" for an option error,
#                          "none" for a file without lines)
#   # in: FILE             the message names this file (relative to this folder) instead
#   # args: ARGS           extra arguments for emu
# A file that cannot hold comments (the empty file) keeps them in FILE.meta.
here="$EMU_SRCDIR/tests/bad-machines"
plugins="$EMU_BUILDDIR/tests/machines/plugin"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Generated case: a file over the size limit (1 MiB of comments after a valid start).
big="$tmp/too-large.yaml"
{ printf '# expect: file too large\n# at: none\nemu-machine: 1\nname: big\n'
  i=0; while [ $i -lt 1100 ]; do printf '#%01023d\n' 0; i=$((i + 1)); done; } > "$big"

cases=$(ls "$here"/*.yaml | sort)
n=0
for f in $cases "$big"; do n=$((n + 1)); done
echo "1..$n"

header() {   # header FILE KEY
    meta="$1"
    [ -f "$1.meta" ] && meta="$1.meta"
    sed -n "1,6s/^# $2: //p" "$meta" | head -n 1
}

i=0
for f in $cases "$big"; do
    i=$((i + 1))
    name=$(basename "$f")
    expect=$(header "$f" expect)
    at=$(header "$f" at)
    in=$(header "$f" in)
    args=$(header "$f" args)
    shown="$f"
    [ -n "$in" ] && shown="$here/$in"
    start=$(date +%s%N)
    # shellcheck disable=SC2086
    timeout 5 "$EMU" --plugin-dir "$plugins" $args --machine "$f" </dev/null >"$tmp/out" 2>"$tmp/err"
    st=$?
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    err=$(cat "$tmp/err")
    lines=$(wc -l < "$tmp/err")
    case "$at" in
        none) prefix="emu: $shown: " ;;
        --set*) prefix="emu: $at: " ;;
        *) prefix="emu: $shown:$at:" ;;
    esac
    problem=
    if [ -z "$expect" ] || [ -z "$at" ]; then
        problem="the case has no '# expect:' or '# at:' line"
    elif [ $st -ne 2 ]; then
        problem="exit status $st, expected 2"
    elif [ "$lines" -ne 1 ]; then
        problem="$lines lines on stderr, expected 1"
    elif echo "$err" | grep -q -e Sanitizer -e 'runtime error'; then
        problem="sanitizer report"
    elif [ "${err#"$prefix"}" = "$err" ]; then
        problem="message does not start with '$prefix'"
    elif [ "${err#*"$expect"}" = "$err" ]; then
        problem="message does not contain '$expect'"
    elif [ $ms -ge 1000 ]; then
        problem="took $ms ms"
    fi
    if [ -z "$problem" ]; then
        echo "ok $i - $name: $expect"
    else
        echo "not ok $i - $name: $problem"
        sed 's/^/# /' "$tmp/err" | head -n 5
    fi
done
