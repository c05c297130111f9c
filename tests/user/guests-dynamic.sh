#!/bin/sh
# TAP: the guest test programs, linked dynamically (loader and libraries from the sysroot).
exec "$EMU_SRCDIR/tests/user/run-guests.sh" dyn
