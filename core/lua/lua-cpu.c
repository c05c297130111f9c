/* CPU objects for Lua: emu.cpu(i), cpu.pc, registers by name and guest memory through the CPU's
 * current address translation (sdk/include/emu/cpu.h); emu.icount(). */
#include <stdlib.h>
#include <string.h>
#include "emu/cpu-plugin.h"
#include "lua-internal.h"

#define CPU_META "emu.cpu"
#define MAX_READ (16u << 20)   /* cpu:read returns at most this many bytes */

static const char cache_key = 0;   /* registry[&cache_key]: emu_cpu* -> its Lua object */

typedef struct cpu_ref {
    emu_cpu *cpu;
} cpu_ref;

void emu_lua_push_cpu(lua_State *L, emu_cpu *cpu)
{
    if (!cpu) {
        lua_pushnil(L);
        return;
    }
    lua_rawgetp(L, LUA_REGISTRYINDEX, &cache_key);
    if (lua_rawgetp(L, -1, cpu) == LUA_TUSERDATA) {
        lua_remove(L, -2);
        return;
    }
    lua_pop(L, 1);
    cpu_ref *r = lua_newuserdatauv(L, sizeof *r, 0);
    r->cpu = cpu;
    luaL_setmetatable(L, CPU_META);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, -3, cpu);
    lua_remove(L, -2);
}

static emu_cpu *check_cpu(lua_State *L, int arg)
{
    return ((cpu_ref *)luaL_checkudata(L, arg, CPU_META))->cpu;
}

static bool big_endian(emu_cpu *cpu)
{
    const emu_cpu_ops *ops = emu_cpu_device(cpu)->type->kind_ops;
    return ops && ops->big_endian;
}

/* The index of register `name`, or an error listing the CPU's registers. */
static unsigned check_reg(lua_State *L, emu_cpu *cpu, int arg)
{
    const char *name = luaL_checkstring(L, arg);
    int i = emu_cpu_reg_find(cpu, name);
    if (i >= 0)
        return (unsigned)i;
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (unsigned k = 0; k < emu_cpu_reg_count(cpu); k++) {
        if (k)
            luaL_addstring(&b, ", ");
        luaL_addstring(&b, emu_cpu_reg_info(cpu, k)->name);
    }
    luaL_pushresult(&b);
    luaL_error(L, "no register '%s' (registers: %s)", name, lua_tostring(L, -1));
    return 0;
}

static int l_reg(lua_State *L)
{
    emu_cpu *cpu = check_cpu(L, 1);
    lua_pushinteger(L, (lua_Integer)emu_cpu_reg_read(cpu, check_reg(L, cpu, 2)));
    return 1;
}

static int l_set_reg(lua_State *L)
{
    emu_cpu *cpu = check_cpu(L, 1);
    unsigned i = check_reg(L, cpu, 2);
    emu_cpu_reg_write(cpu, i, (uint64_t)luaL_checkinteger(L, 3));
    return 0;
}

static int l_regs(lua_State *L)
{
    emu_cpu *cpu = check_cpu(L, 1);
    lua_createtable(L, (int)emu_cpu_reg_count(cpu), 0);
    for (unsigned k = 0; k < emu_cpu_reg_count(cpu); k++) {
        lua_pushstring(L, emu_cpu_reg_info(cpu, k)->name);
        lua_rawseti(L, -2, k + 1);
    }
    return 1;
}

/* cpu:read(addr, n) -> string of n bytes, or nil when some byte is not mapped */
static int l_read(lua_State *L)
{
    emu_cpu *cpu = check_cpu(L, 1);
    uint64_t addr = emu_lua_check_addr(L, 2, NULL);
    lua_Integer n = luaL_checkinteger(L, 3);
    luaL_argcheck(L, n >= 0 && n <= (lua_Integer)MAX_READ, 3, "a byte count 0..16M");
    luaL_Buffer b;
    char *p = luaL_buffinitsize(L, &b, (size_t)n);
    if (emu_cpu_read_mem(cpu, addr, p, (size_t)n) < 0) {
        lua_pushnil(L);
        return 1;
    }
    luaL_pushresultsize(&b, (size_t)n);
    return 1;
}

/* cpu:write(addr, s) -> true, or false when some byte is not mapped */
static int l_write(lua_State *L)
{
    emu_cpu *cpu = check_cpu(L, 1);
    uint64_t addr = emu_lua_check_addr(L, 2, NULL);
    size_t len;
    const char *s = luaL_checklstring(L, 3, &len);
    lua_pushboolean(L, emu_cpu_write_mem(cpu, addr, s, len) == 0);
    return 1;
}

/* Unsigned integers of 1..8 bytes in the CPU's byte order. */
static int read_uint(lua_State *L, unsigned size)
{
    emu_cpu *cpu = check_cpu(L, 1);
    uint64_t addr = emu_lua_check_addr(L, 2, NULL);
    uint8_t buf[8];
    if (emu_cpu_read_mem(cpu, addr, buf, size) < 0) {
        lua_pushnil(L);
        return 1;
    }
    bool be = big_endian(cpu);
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v = v << 8 | buf[be ? i : size - 1 - i];
    lua_pushinteger(L, (lua_Integer)v);
    return 1;
}

static int write_uint(lua_State *L, unsigned size)
{
    emu_cpu *cpu = check_cpu(L, 1);
    uint64_t addr = emu_lua_check_addr(L, 2, NULL);
    uint64_t v = (uint64_t)luaL_checkinteger(L, 3);
    uint8_t buf[8];
    bool be = big_endian(cpu);
    for (unsigned i = 0; i < size; i++)
        buf[be ? size - 1 - i : i] = (uint8_t)(v >> (8 * i));
    lua_pushboolean(L, emu_cpu_write_mem(cpu, addr, buf, size) == 0);
    return 1;
}

static int l_read_u8(lua_State *L) { return read_uint(L, 1); }
static int l_read_u16(lua_State *L) { return read_uint(L, 2); }
static int l_read_u32(lua_State *L) { return read_uint(L, 4); }
static int l_read_u64(lua_State *L) { return read_uint(L, 8); }
static int l_write_u8(lua_State *L) { return write_uint(L, 1); }
static int l_write_u16(lua_State *L) { return write_uint(L, 2); }
static int l_write_u32(lua_State *L) { return write_uint(L, 4); }
static int l_write_u64(lua_State *L) { return write_uint(L, 8); }

/* cpu.pc, cpu.id, cpu.icount, then the methods */
static int l_index(lua_State *L)
{
    emu_cpu *cpu = check_cpu(L, 1);
    const char *key = lua_tostring(L, 2);
    if (key && !strcmp(key, "pc")) {
        lua_pushinteger(L, (lua_Integer)emu_cpu_pc(cpu));
    } else if (key && !strcmp(key, "id")) {
        lua_pushstring(L, emu_cpu_device(cpu)->id);
    } else if (key && !strcmp(key, "icount")) {
        lua_pushinteger(L, (lua_Integer)emu_cpu_icount(cpu));
    } else {
        lua_getmetatable(L, 1);
        lua_getfield(L, -1, "methods");
        lua_pushvalue(L, 2);
        lua_rawget(L, -2);
    }
    return 1;
}

/* cpu.pc = addr redirects execution (the next instruction is at addr). */
static int l_newindex(lua_State *L)
{
    emu_cpu *cpu = check_cpu(L, 1);
    const char *key = lua_tostring(L, 2);
    if (!key || strcmp(key, "pc") != 0)
        return luaL_error(L, "cpu.%s cannot be set (only cpu.pc; registers with cpu:set_reg)",
                          key ? key : "?");
    emu_cpu_set_pc(cpu, emu_lua_check_addr(L, 3, NULL));
    return 0;
}

static int l_tostring(lua_State *L)
{
    emu_cpu *cpu = check_cpu(L, 1);
    lua_pushfstring(L, "cpu %s", emu_cpu_device(cpu)->id);
    return 1;
}

/* emu.cpu(i or id) -> the i-th CPU (from 0, machine file order) or the one with that id */
static int l_cpu(lua_State *L)
{
    emu_machine *m = emu_lua_from(L)->m;
    emu_cpu *cpu;
    if (lua_type(L, 1) == LUA_TSTRING) {
        emu_device *dev = emu_machine_device(m, lua_tostring(L, 1));
        cpu = dev ? emu_cpu_from_device(dev) : NULL;
    } else {
        lua_Integer i = luaL_optinteger(L, 1, 0);
        cpu = i >= 0 && i <= UINT32_MAX ? emu_machine_cpu(m, (unsigned)i) : NULL;
    }
    emu_lua_push_cpu(L, cpu);
    return 1;
}

/* emu.icount() -> instructions executed by every CPU so far */
static int l_icount(lua_State *L)
{
    emu_machine *m = emu_lua_from(L)->m;
    uint64_t total = 0;
    emu_cpu *cpu;
    for (unsigned i = 0; (cpu = emu_machine_cpu(m, i)) != NULL; i++)
        total += emu_cpu_icount(cpu);
    lua_pushinteger(L, (lua_Integer)total);
    return 1;
}

void emu_lua_open_cpu(lua_State *L)
{
    static const luaL_Reg methods[] = {
        { "reg", l_reg }, { "set_reg", l_set_reg }, { "regs", l_regs },
        { "read", l_read }, { "write", l_write },
        { "read_u8", l_read_u8 }, { "read_u16", l_read_u16 }, { "read_u32", l_read_u32 },
        { "read_u64", l_read_u64 }, { "write_u8", l_write_u8 }, { "write_u16", l_write_u16 },
        { "write_u32", l_write_u32 }, { "write_u64", l_write_u64 },
        { NULL, NULL },
    };
    luaL_newmetatable(L, CPU_META);
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "methods");
    lua_pushcfunction(L, l_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, l_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, l_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);

    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &cache_key);

    static const luaL_Reg funcs[] = {
        { "cpu", l_cpu }, { "icount", l_icount },
        { NULL, NULL },
    };
    luaL_setfuncs(L, funcs, 0);
}
