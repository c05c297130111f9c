#!/usr/bin/env python3
"""Record QEMU's 40p console for a Forth session, in the form forth-console.lua writes:
the boot output up to the first prompt, then for each input line everything printed until
the next prompt.  Used to make the .expected files next to the .in files (not run by make
check); arguments after the input file go to QEMU:

    tests/devices/prep/qemu-capture.py forth/core.in > forth/core.expected

QEMU runs its default 40p, which prep.yaml matches: qemu-system-ppc -M 40p -nographic
-m 128.  "\\xNN" in an input line is byte NN; a prompt counts after a second of silence."""
import os, re, select, subprocess, sys, time

QEMU = ['qemu-system-ppc', '-M', '40p', '-nographic', '-m', '128']

def main():
    lines = open(sys.argv[1], encoding='latin-1').read().splitlines()
    p = subprocess.Popen(QEMU + sys.argv[2:], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    out = b''

    def until_prompt():
        nonlocal out
        start = len(out)
        deadline = time.time() + 120
        while time.time() < deadline:
            ready, _, _ = select.select([p.stdout], [], [], 1.0)
            if ready:
                data = os.read(p.stdout.fileno(), 65536)
                if not data:
                    break
                out += data
            elif out[start:].endswith(b' > '):
                return out[start:]
        sys.exit('qemu-capture: no prompt')

    sys.stdout.buffer.write(until_prompt())
    for line in lines:
        data = re.sub(r'\\x([0-9a-fA-F]{2})', lambda m: chr(int(m.group(1), 16)), line)
        p.stdin.write(data.encode('latin-1') + b'\r')
        p.stdin.flush()
        sys.stdout.buffer.write(until_prompt())
    p.kill()
    p.wait()

main()
