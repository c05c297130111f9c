#!/bin/sh
# OpenBIOS Forth session forth/tree.in, compared with QEMU's (see forth-session.sh).
name=tree
. "$EMU_SRCDIR/tests/devices/prep/forth-session.sh"
