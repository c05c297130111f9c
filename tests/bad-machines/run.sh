#!/bin/sh
# Malformed machine files: each must be refused with exit status 2 and one clear line of error
# that names the file and line, contains the expected words, shows no sanitizer report, and
# comes back in under a second.
#
# Each case is a .yaml file here whose first lines say what to expect:
#   # expect: FRAGMENT      words the message must contain
#   # at: LINE[:COL]       the line (and column) the message must name ("--set KEY=VALUE" for
#                          an option error, "none" for a file without lines)
#   # in: FILE             the message names this file (relative to this folder) instead
#   # also: FRAGMENT       more words the message must contain
#   # args: ARGS           extra arguments for emu
# A file that cannot hold comments (the empty file) keeps them in FILE.meta.
# Cases that cannot be files in the source tree (FIFOs, symbolic links, devices, very large
# files) are made in a temporary folder with the same headers in FILE.meta.
here="$EMU_SRCDIR/tests/bad-machines"
plugins="$EMU_BUILDDIR/tests/machines/plugin"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Generated case: a file over the size limit (1 MiB of comments after a valid start).
big="$tmp/too-large.yaml"
{ printf '# expect: file too large\n# at: none\nemu-machine: 1\nname: big\n'
  i=0; while [ $i -lt 1100 ]; do printf '#%01023d\n' 0; i=$((i + 1)); done; } > "$big"

# A FIFO with no writer would block a plain open or read forever.
mkfifo "$tmp/fifo.yaml"
printf '# expect: not a regular file\n# at: none\n' > "$tmp/fifo.yaml.meta"
printf '# expect: not a regular file\n# at: 5:10\n' > "$tmp/include-fifo.yaml"
printf 'emu-machine: 1\nname: f\ninclude: fifo.yaml\n' >> "$tmp/include-fifo.yaml"
# A device never ends.
printf '# expect: not a regular file\n# at: 5:10\n' > "$tmp/include-dev-zero.yaml"
printf 'emu-machine: 1\nname: z\ninclude: /dev/zero\n' >> "$tmp/include-dev-zero.yaml"
# A folder as the machine file, and an include of one.
mkdir "$tmp/folder.yaml"
printf '# expect: is a folder\n# at: none\n' > "$tmp/folder.yaml.meta"
printf '# expect: is a folder\n# at: 5:10\nemu-machine: 1\nname: d\ninclude: folder.yaml\n' \
    > "$tmp/include-folder.yaml"
# Symbolic links that point at each other, and a link back to the including file.
ln -s loop-b.yaml "$tmp/loop-a.yaml"
ln -s loop-a.yaml "$tmp/loop-b.yaml"
printf '# expect: Too many levels of symbolic links\n# at: 5:10\n' > "$tmp/include-link-loop.yaml"
printf 'emu-machine: 1\nname: l\ninclude: loop-a.yaml\n' >> "$tmp/include-link-loop.yaml"
printf '# expect: include cycle\n# at: 5:10\nemu-machine: 1\nname: s\ninclude: self-link.yaml\n' \
    > "$tmp/include-self-link.yaml"
ln -s include-self-link.yaml "$tmp/self-link.yaml"
# A line of 200000 characters, then an error after it.
{ printf '# expect: unknown key '"'"'oops'"'"'\n# at: 6:1\nemu-machine: 1\nname: long\n'
  printf 'description: '; head -c 200000 /dev/zero | tr '\0' x; printf '\noops: 1\n'; } \
    > "$tmp/long-line.yaml"
# An alias bomb of long strings: 90000 copies of 600 KB would be 54 GB.
{ printf '# expect: more than 16777216 bytes of text\n# at: 6\nemu-machine: 1\nname: bomb\n'
  printf 'vars: { a: &a '; head -c 600000 /dev/zero | tr '\0' x; printf ' }\ndescription: ['
  i=0; while [ $i -lt 900 ]; do printf '*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,'; i=$((i + 1)); done
  printf ']\n'; } > "$tmp/string-alias-bomb.yaml"
# Files that a machine with an error must leave alone: no file created, none truncated.
printf 'keep me\n' > "$tmp/keep.log"
cat > "$tmp/nothing-created.yaml" <<EOF2
# expect: unknown device type 'nosuch'
# at: 9:14
emu-machine: 1
name: quiet
chardevs: { out: "file:$tmp/created.log", kept: "file:$tmp/keep.log" }
devices:
  a: { type: mft-dev, props: { chardev: out } }
  b: { type: mft-dev, props: { chardev: kept } }
  c: { type: nosuch }
EOF2

# Huge machines must be refused as fast as small ones (no search that grows with the square of
# the entries): 10000 devices, a chain of 10000 spaces, 8000 memory entries, 20000 variables.
awk 'BEGIN { print "# expect: unknown device type '"'"'nosuch'"'"'"; print "# at: 10006:14"
             print "emu-machine: 1\nname: many\ndevices:"
             for (i = 0; i < 10000; i++) printf "  d%d: { type: mft-dev, irq: d%d.1 }\n", i, (i + 1) % 10000
             print "  z: { type: nosuch }" }' > "$tmp/many-devices.yaml"
awk 'BEGIN { print "# expect: no address space '"'"'nosuch'"'"' (spaces: system, s0, s1"; print "# at: 10006:22"
             print "emu-machine: 1\nname: many\nspaces:\n  s0: { size: 64K }"
             for (i = 1; i < 10000; i++) printf "  s%d: { size: 64K, map: s%d@0 }\n", i, i - 1
             print "  z: { size: 1, map: nosuch@0 }" }' > "$tmp/many-spaces.yaml"
awk 'BEGIN { print "# expect: memory '"'"'z'"'"' (0x1f40..0x1f40) overlaps memory '"'"'m8000'"'"'"; print "# at: 8007:31"
             print "emu-machine: 1\nname: many\nmemory:"
             for (i = 0; i <= 8000; i++) printf " m%d: {kind: ram, size: 1, map: system@%d}\n", i, i
             print " z: {kind: ram, size: 1, map: system@8000}" }' > "$tmp/many-memory.yaml"
awk 'BEGIN { print "# expect: variables nested deeper than 64 levels"; print "# at: 69:8"
             print "emu-machine: 1\nname: many\nvars:"
             for (i = 0; i < 20000; i++) printf "  v%d: \"${v%d}\"\n", i, i + 1
             print "  v20000: x" }' > "$tmp/many-variables.yaml"

# 64 includes of a 1 MiB file: more than the 4 MiB one machine may read.
{ printf 'emu-machine: 1\n'; i=0; while [ $i -lt 1000 ]; do printf '#%01040d\n' 0; i=$((i + 1)); done; } \
    > "$tmp/one-mib.yaml"
{ printf '# expect: the files of this machine hold more than 4194304 bytes\n# at: 5:67\n'
  printf 'emu-machine: 1\nname: wide\ninclude: ['
  i=0; while [ $i -lt 63 ]; do printf 'one-mib.yaml, '; i=$((i + 1)); done; printf ']\n'; } \
    > "$tmp/too-many-bytes.yaml"

cases=$(ls "$here"/*.yaml | sort)
generated="$big $tmp/fifo.yaml $tmp/include-fifo.yaml $tmp/include-dev-zero.yaml $tmp/folder.yaml
$tmp/include-folder.yaml $tmp/include-link-loop.yaml $tmp/include-self-link.yaml
$tmp/long-line.yaml $tmp/string-alias-bomb.yaml $tmp/nothing-created.yaml
$tmp/many-devices.yaml $tmp/many-spaces.yaml $tmp/many-memory.yaml $tmp/many-variables.yaml
$tmp/too-many-bytes.yaml"
n=1
for f in $cases $generated; do n=$((n + 1)); done
echo "1..$n"

header() {   # header FILE KEY
    meta="$1"
    [ -f "$1.meta" ] && meta="$1.meta"
    sed -n "1,6s/^# $2: //p" "$meta" | head -n 1 | tr -d '\r'
}

i=0
for f in $cases $generated; do
    i=$((i + 1))
    name=$(basename "$f")
    expect=$(header "$f" expect)
    also=$(header "$f" also)
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
        *:*) prefix="emu: $shown:$at: " ;;
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
    elif [ -n "$also" ] && [ "${err#*"$also"}" = "$err" ]; then
        problem="message does not contain '$also'"
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

i=$((i + 1))
if [ ! -e "$tmp/created.log" ] && [ "$(cat "$tmp/keep.log")" = "keep me" ]; then
    echo "ok $i - a refused machine created no file and truncated none"
else
    echo "not ok $i - a refused machine created or truncated a chardev file"
fi
