/* emu.symbol, emu.symbol_at, emu.load_symbols: guest symbols from ELF symbol tables, and
 * address arguments that may be given as symbol names. */
#include <stdio.h>
#include "lua-internal.h"

int emu_lua_add_symbols(emu_lua *h, const char *path, uint64_t bias, emu_error **err)
{
    return emu_symtab_load_elf(h->symbols, path, bias, err);
}

uint64_t emu_lua_check_addr(lua_State *L, int arg, uint64_t *size)
{
    if (size)
        *size = 1;
    if (lua_type(L, arg) != LUA_TSTRING)
        return (uint64_t)luaL_checkinteger(L, arg);
    const char *name = lua_tostring(L, arg);
    emu_lua *h = emu_lua_from(L);
    const emu_symbol *s = emu_symtab_find(h->symbols, name);
    if (!s) {
        if (emu_symtab_count(h->symbols) == 0)
            luaL_error(L, "unknown symbol '%s' (no symbol table is loaded: the program has "
                       "none, or use emu.load_symbols(path))", name);
        luaL_error(L, "unknown symbol '%s'", name);
    }
    if (size && s->size)
        *size = s->size;
    return s->addr;
}

/* emu.symbol(name) -> address, size  (nil when unknown) */
static int l_symbol(lua_State *L)
{
    emu_lua *h = emu_lua_from(L);
    const emu_symbol *s = emu_symtab_find(h->symbols, luaL_checkstring(L, 1));
    if (!s) {
        lua_pushnil(L);
        return 1;
    }
    lua_pushinteger(L, (lua_Integer)s->addr);
    lua_pushinteger(L, (lua_Integer)s->size);
    return 2;
}

/* emu.symbol_at(addr) -> name, offset from its start  (nil when no symbol covers it) */
static int l_symbol_at(lua_State *L)
{
    emu_lua *h = emu_lua_from(L);
    uint64_t addr = (uint64_t)luaL_checkinteger(L, 1);
    const emu_symbol *s = emu_symtab_lookup(h->symbols, addr);
    if (!s) {
        lua_pushnil(L);
        return 1;
    }
    lua_pushstring(L, s->name);
    lua_pushinteger(L, (lua_Integer)(addr - s->addr));
    return 2;
}

/* emu.load_symbols(path [, bias]) -> number of symbols now known */
static int l_load_symbols(lua_State *L)
{
    emu_lua *h = emu_lua_from(L);
    const char *path = luaL_checkstring(L, 1);
    uint64_t bias = (uint64_t)luaL_optinteger(L, 2, 0);
    emu_error *err = NULL;
    if (emu_symtab_load_elf(h->symbols, path, bias, &err) < 0) {
        lua_pushstring(L, emu_error_message(err));
        emu_error_free(err);
        return luaL_error(L, "emu.load_symbols: %s", lua_tostring(L, -1));
    }
    lua_pushinteger(L, (lua_Integer)emu_symtab_count(h->symbols));
    return 1;
}

void emu_lua_open_symbols(lua_State *L)
{
    static const luaL_Reg funcs[] = {
        { "symbol", l_symbol }, { "symbol_at", l_symbol_at }, { "load_symbols", l_load_symbols },
        { NULL, NULL },
    };
    luaL_setfuncs(L, funcs, 0);
}
