#!/bin/sh
# OpenBIOS Forth session forth/misc.in, compared with QEMU's (see forth-session.sh).
name=misc
. "$EMU_SRCDIR/tests/devices/prep/forth-session.sh"
