#!/bin/sh
# A guest resets the PReP machine: forth/reset.in writes 1 to port 0x92 (the system I/O soft
# reset) and then sends the 8042 its 0xFE command (pulse the reset line), both wired to
# machine.reset in machines.d/prep.yaml.  QEMU's 40p reboots on each: the OpenBIOS banner and
# prompt come again and Forth answers after each reboot; compared with QEMU's transcript (see
# forth-session.sh).
name=reset
checks() {
    is "$(grep -c '^>> OpenBIOS 1.1' "$1")" 3 "reset: OpenBIOS booted three times (power-on, port 0x92, 8042 0xFE)"
    is "$(grep -c '^0 > 3 4 + \. 7  ok' "$1")" 3 "reset: Forth answers 3 4 + . before and after each reset"
}
. "$EMU_SRCDIR/tests/devices/prep/forth-session.sh"
