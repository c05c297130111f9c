#!/bin/sh
# A machine check the processor cannot take (MSR[ME] = 0) stops the machine: emu exits with
# status 1 and an error naming the checkstop, never a host abort or a hang.  The image is
# tests/guests/sys/checkstop.S, in ROM at the reset vector of a ppc604 with RAM.
. "$EMU_SRCDIR/tests/tap.sh"
img="$EMU_BUILDDIR/tests/guests/sys/checkstop.bin"
[ -f "$img" ] || skip_all "no tests/guests/sys/checkstop.bin (no PowerPC cross compiler)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/checkstop.yaml" <<YAML
emu-machine: 1
name: checkstop
description: a 604 running a bare-metal image that checkstops
memory:
  ram: { kind: ram, size: 16M, map: system@0x0 }
  rom: { kind: rom, file: "$img", map: system@0xfff00000 }
cpus:
  cpu0: { type: ppc604 }
YAML
timeout 10 "$EMU" --machine "$tmp/checkstop.yaml" </dev/null >"$tmp/out" 2>"$tmp/err"
st=$?
is "$st" 1 "a checkstop ends the run with status 1"
like "$(cat "$tmp/err")" "checkstop: machine check (bus error, TEA) with MSR[ME] = 0 at pc 0xfff00118" \
    "stderr says why and where"
is "$(cat "$tmp/out")" "" "nothing on stdout"
done_testing
