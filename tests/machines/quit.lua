-- Ends a run as soon as the machine is built: the machine-file run tests only check the building.
print("built " .. emu.api_version)
emu.quit(0)
