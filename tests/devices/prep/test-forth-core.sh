#!/bin/sh
# OpenBIOS Forth session forth/core.in, compared with QEMU's (see forth-session.sh).
name=core
. "$EMU_SRCDIR/tests/devices/prep/forth-session.sh"
