/* Memory without a CPU: emu.memory([space [, byte_order]]) is an object that reads and writes an
 * address space of the machine the way a bus master does, so MMIO callbacks run.  Device tests
 * drive a device's registers from Lua on a machine with no CPU; scripts inspect physical memory.
 * Accesses that nothing answers, or that a region refuses, are Lua errors saying so. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "emu/cpu-plugin.h"
#include "emu/memory.h"
#include "lua-internal.h"
#include "memory/memory-internal.h"

#define MEMORY_META "emu.memory"
#define MAX_BYTES (16u << 20)   /* memory:read returns at most this many bytes */

typedef struct lua_memory {
    emu_space *space;
    emu_endian order;           /* byte order of the numbers read_uN/write_uN exchange */
} lua_memory;

static lua_memory *check_memory(lua_State *L, int arg)
{
    return luaL_checkudata(L, arg, MEMORY_META);
}

/* The names of the machine's spaces, for a message: "system, isa-io". */
static const char *space_names(lua_State *L, emu_machine *m)
{
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (size_t i = 0; i < emu_mem_space_count(m); i++) {
        if (i)
            luaL_addstring(&b, ", ");
        luaL_addstring(&b, emu_space_name(emu_mem_space_at(m, i)));
    }
    luaL_pushresult(&b);
    return lua_tostring(L, -1);
}

/* The byte order of CPU 0, little-endian on a machine without CPUs. */
static emu_endian default_order(emu_machine *m)
{
    emu_cpu *cpu = emu_machine_cpu(m, 0);
    if (!cpu)
        return EMU_LITTLE_ENDIAN;
    const emu_cpu_ops *ops = emu_cpu_device(cpu)->type->kind_ops;
    return ops && ops->big_endian ? EMU_BIG_ENDIAN : EMU_LITTLE_ENDIAN;
}

/* emu.memory([space [, "big" | "little"]]) -> memory object of that space ("system" by default) */
static int l_memory(lua_State *L)
{
    emu_machine *m = emu_lua_from(L)->m;
    const char *name = luaL_optstring(L, 1, "system");
    emu_space *space = emu_machine_space(m, name);
    if (!space)
        return luaL_error(L, "emu.memory: no address space '%s' in this machine (spaces: %s)", name,
                          space_names(L, m));
    static const char *const orders[] = { "little", "big", NULL };
    emu_endian order = default_order(m);
    if (!lua_isnoneornil(L, 2))
        order = luaL_checkoption(L, 2, NULL, orders) ? EMU_BIG_ENDIAN : EMU_LITTLE_ENDIAN;
    lua_memory *mem = lua_newuserdatauv(L, sizeof *mem, 0);
    mem->space = space;
    mem->order = order;
    luaL_setmetatable(L, MEMORY_META);
    return 1;
}

/* Raise the error of a failed access (lua_pushfstring knows no 64-bit hex: format here). */
static int access_error(lua_State *L, lua_memory *mem, emu_mem_result r, uint64_t addr,
                        size_t size, const char *what)
{
    char msg[200];
    if (r == EMU_MEM_BAD_SIZE)
        snprintf(msg, sizeof msg, "memory %s: the region at 0x%" PRIx64 " refuses a %zu-byte %s "
                 "(size or alignment it does not accept)", emu_space_name(mem->space), addr, size,
                 what);
    else
        snprintf(msg, sizeof msg, "memory %s: nothing is mapped at 0x%" PRIx64 " (%zu-byte %s)",
                 emu_space_name(mem->space), addr, size, what);
    return luaL_error(L, "%s", msg);
}

/* Raise the error of a byte copy that met unmapped addresses. */
static int range_error(lua_State *L, lua_memory *mem, uint64_t addr, size_t len, const char *what)
{
    char msg[200];
    snprintf(msg, sizeof msg, "memory %s: part of the %zu bytes at 0x%" PRIx64 " is not mapped (%s)",
             emu_space_name(mem->space), len, addr, what);
    return luaL_error(L, "%s", msg);
}

static int read_uint(lua_State *L, unsigned size)
{
    lua_memory *mem = check_memory(L, 1);
    uint64_t addr = emu_lua_check_addr(L, 2, NULL);
    uint64_t v;
    emu_mem_result r = emu_space_read(mem->space, addr, size, mem->order, &v);
    if (r != EMU_MEM_OK)
        return access_error(L, mem, r, addr, size, "read");
    lua_pushinteger(L, (lua_Integer)v);
    return 1;
}

/* The value argument of write_uN: fits in `size` bytes, unsigned or as a negative number. */
static uint64_t check_value(lua_State *L, int arg, unsigned size)
{
    lua_Integer v = luaL_checkinteger(L, arg);
    if (size < 8) {
        lua_Integer lim = (lua_Integer)1 << (8 * size);
        if (v >= lim || v < -(lim / 2))
            luaL_error(L, "bad argument #%d to 'write_u%d' (%I does not fit in %d byte%s)", arg - 1,
                       (int)(8 * size), v, (int)size, size > 1 ? "s" : "");
    }
    return (uint64_t)v;
}

static int write_uint(lua_State *L, unsigned size)
{
    lua_memory *mem = check_memory(L, 1);
    uint64_t addr = emu_lua_check_addr(L, 2, NULL);
    uint64_t v = check_value(L, 3, size);
    emu_mem_result r = emu_space_write(mem->space, addr, size, mem->order, v);
    if (r != EMU_MEM_OK)
        return access_error(L, mem, r, addr, size, "write");
    return 0;
}

static int l_read_u8(lua_State *L) { return read_uint(L, 1); }
static int l_read_u16(lua_State *L) { return read_uint(L, 2); }
static int l_read_u32(lua_State *L) { return read_uint(L, 4); }
static int l_read_u64(lua_State *L) { return read_uint(L, 8); }
static int l_write_u8(lua_State *L) { return write_uint(L, 1); }
static int l_write_u16(lua_State *L) { return write_uint(L, 2); }
static int l_write_u32(lua_State *L) { return write_uint(L, 4); }
static int l_write_u64(lua_State *L) { return write_uint(L, 8); }

/* memory:read(addr, n) -> string of n bytes in address order */
static int l_read(lua_State *L)
{
    lua_memory *mem = check_memory(L, 1);
    uint64_t addr = emu_lua_check_addr(L, 2, NULL);
    lua_Integer n = luaL_checkinteger(L, 3);
    luaL_argcheck(L, n >= 0 && n <= (lua_Integer)MAX_BYTES, 3, "a byte count 0..16M");
    luaL_Buffer b;
    char *p = luaL_buffinitsize(L, &b, (size_t)n);
    if (emu_space_read_bytes(mem->space, addr, p, (size_t)n) < 0)
        return range_error(L, mem, addr, (size_t)n, "read");
    luaL_pushresultsize(&b, (size_t)n);
    return 1;
}

/* memory:write(addr, s): the bytes of s from addr on (ROM stays unchanged, as for a guest) */
static int l_write(lua_State *L)
{
    lua_memory *mem = check_memory(L, 1);
    uint64_t addr = emu_lua_check_addr(L, 2, NULL);
    size_t len;
    const char *s = luaL_checklstring(L, 3, &len);
    if (emu_space_write_bytes(mem->space, addr, s, len, false) < 0)
        return range_error(L, mem, addr, len, "write");
    return 0;
}

static int l_index(lua_State *L)
{
    lua_memory *mem = check_memory(L, 1);
    const char *key = luaL_checkstring(L, 2);
    if (!strcmp(key, "space")) {
        lua_pushstring(L, emu_space_name(mem->space));
    } else if (!strcmp(key, "byte_order")) {
        lua_pushstring(L, mem->order == EMU_BIG_ENDIAN ? "big" : "little");
    } else {
        luaL_getmetafield(L, 1, "methods");
        lua_getfield(L, -1, key);
    }
    return 1;
}

static int l_tostring(lua_State *L)
{
    lua_memory *mem = check_memory(L, 1);
    lua_pushfstring(L, "memory %s (%s-endian)", emu_space_name(mem->space),
                    mem->order == EMU_BIG_ENDIAN ? "big" : "little");
    return 1;
}

void emu_lua_open_memory(lua_State *L)
{
    static const luaL_Reg methods[] = {
        { "read", l_read }, { "write", l_write },
        { "read_u8", l_read_u8 }, { "read_u16", l_read_u16 }, { "read_u32", l_read_u32 },
        { "read_u64", l_read_u64 }, { "write_u8", l_write_u8 }, { "write_u16", l_write_u16 },
        { "write_u32", l_write_u32 }, { "write_u64", l_write_u64 },
        { NULL, NULL },
    };
    luaL_newmetatable(L, MEMORY_META);
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "methods");
    lua_pushcfunction(L, l_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, l_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);

    lua_pushcfunction(L, l_memory);
    lua_setfield(L, -2, "memory");
}
