#!/bin/sh
# TAP: the guest test programs, linked statically, under emu --user (see run-guests.sh).
exec "$EMU_SRCDIR/tests/user/run-guests.sh" static
