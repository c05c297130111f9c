#!/bin/sh
# Host instructions emu executes from start to OpenBIOS's "0 > " prompt on the PReP machine,
# counted with callgrind (exact and repeatable, unlike the wall time of prep-boot.sh), with the
# guest instructions to the prompt and host instructions per guest instruction.  The console is
# a buffer watched by a Lua script that ends emu at the prompt.
#
#   bench/prep-boot-insns.sh          (from a build folder: uses ./emu; about a minute)
#   EMU=path/to/emu bench/prep-boot-insns.sh
#
# Not a test: nothing here runs in make check.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
emu=${EMU:-./emu}
command -v valgrind >/dev/null 2>&1 || { echo "$0: 'valgrind' not found" >&2; exit 2; }
[ -x "$emu" ] || { echo "$0: '$emu' not found (run from a build folder or set EMU)" >&2; exit 2; }
out=$(mktemp -d "${TMPDIR:-/tmp}/emu-boot-insns.XXXXXX")
trap 'rm -rf "$out"' EXIT
cat > "$out/prompt.lua" <<'EOF'
emu.spawn(function()
  local got = emu.serial("serial0"):expect("^.-0 > ", 20000000000)
  io.stderr:write("guest-insns ", emu.icount(), "\n")
  emu.quit(got and 0 or 1)
end)
EOF

# the wrapper script of an uninstalled emu would be measured instead of emu: use the binary
bin=$emu
case $(head -c 2 "$emu") in
'#!') d=$(dirname "$emu"); [ -x "$d/.libs/emu" ] && bin="$d/.libs/emu"
      export LD_LIBRARY_PATH="$d/core/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" ;;
esac

valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" --machine "$here/../machines.d/prep.yaml" \
    --set serial=buffer --lua "$out/prompt.lua" >/dev/null 2>"$out/vg" ||
    { echo "$0: no prompt (see below)" >&2; tail -5 "$out/vg" >&2; exit 1; }
host=$(sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$out/vg" | tail -1)
guest=$(sed -n 's/^guest-insns //p' "$out/vg")
awk -v h="$host" -v g="$guest" 'BEGIN {
    printf "host instructions  %.0f\nguest instructions %.0f\nhost per guest     %.2f\n", h, g, h / g }'
