/* emu SDK: everything a plugin needs, in one include. */
#ifndef EMU_EMU_H
#define EMU_EMU_H
#include "base.h"
#include "plugin.h"
#include "device.h"
#include "memory.h"
#include "line.h"
#include "clock.h"
#include "chardev.h"
#include "block.h"
#include "cpu.h"
#endif
