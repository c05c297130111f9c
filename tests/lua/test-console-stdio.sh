#!/bin/sh
# A scripted console on a chardev that is not a buffer: the PReP machine with its serial port on
# stdio (its default) boots OpenBIOS to the Forth prompt; lua/boot-expect.lua reads the guest's
# output through the chardev's tap and types two lines, while every byte still reaches stdout.
. "$EMU_SRCDIR/tests/tap.sh"
machine="$EMU_SRCDIR/machines.d/prep.yaml"
[ -f "$machine" ] || skip_all "machines.d/prep.yaml is not in this tree"
work=$(mktemp -d) || skip_all "cannot create a temporary directory"
trap 'rm -rf "$work"' EXIT

steps="login=0 > ,user=1 2 + .,prompt=3  ok.-0 > ,cmd=4 5 * .,want=14  ok,timeout=1000000000"
timeout 60 "$EMU" --machine "$machine" --set serial=stdio \
    --lua "$EMU_SRCDIR/lua/boot-expect.lua,$steps" </dev/null >"$work/out" 2>"$work/err"
st=$?
err=$(cat "$work/err")
case "$err" in
*firmware*|*openbios*|*"not found"*) skip_all "the PReP machine does not start here: $(head -1 "$work/err")" ;;
esac
[ "$st" = 124 ] && skip_all "the PReP machine did not reach the OpenBIOS prompt within 60 s"
is "$st" 0 "boot-expect.lua drives OpenBIOS's prompt on a stdio chardev"
like "$err" "boot-expect.lua: PASS" "and sees both answers"
out=$(cat "$work/out")
like "$out" "Welcome to OpenBIOS" "the firmware's banner still reaches stdout"
like "$out" "0 > 1 2 + . 3  ok" "so does the first answer, with the typed line echoed"
like "$out" "0 > 4 5 * . 14  ok" "and the second"
done_testing
