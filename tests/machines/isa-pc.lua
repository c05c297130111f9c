-- Script of isa-pc.yaml: says it ran, lets some emulated time pass, then ends the run.
print("isa-pc: script ran")
emu.spawn(function()
    emu.wait(1000)
    print("isa-pc: emulated time passes")
    emu.quit(0)
end)
