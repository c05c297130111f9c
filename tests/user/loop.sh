#!/bin/sh
# TAP: loop device ioctls under emu --user (tests/guests/user/loop.c prints the TAP itself).
# It attaches a scratch file to a free loop device and detaches it again, so it needs root and
# a host that lends loop devices; otherwise the guest reports a skip with the reason.
set -u
if [ -z "${PPC_CC:-}" ]; then
    echo "1..0 # SKIP no PowerPC cross compiler (gcc-powerpc-linux-gnu)"
    exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/emu-loop.XXXXXX")
trap 'rm -rf "$work"' EXIT
timeout 60 "$EMU" --user "$EMU_BUILDDIR/tests/guests/user/loop.static" "$work/image" </dev/null
status=$?
[ $status -eq 0 ] || echo "# the guest ended with status $status"
exit $status
