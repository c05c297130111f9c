-- Script of watchdog.yaml: prints every change of the watchdog's lines as the interrupt
-- controller receives them, with the virtual time, for 3.5 ms; then ends the run.
-- Nobody kicks the watchdog or clears its status, so after the first timeout (irq)
-- each further timeout pulses reset.
emu.on_irq("pic", function(dev, line, level, index)
    local what = ({ [3] = "irq", [5] = "reset" })[index] or "?"
    print(string.format("%9d ns  wdt %-5s -> pic.%s[%d] = %d", emu.time_ns(), what, line, index, level))
end)
emu.spawn(function()
    emu.wait(3500000)
    print(string.format("%9d ns  done", emu.time_ns()))
    emu.quit(0)
end)
