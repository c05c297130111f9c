-- strace.lua: print every system call of a user-mode program with its arguments and result,
-- the way strace does.
--
--   emu --lua lua/strace.lua --user ./prog            (to stderr)
--   emu --lua lua/strace.lua,out=trace.txt --user ./prog
--
-- Arguments: out=FILE (default stderr), strsize=N (bytes of strings and buffers shown, 32).

local args = ...
local out = args.out and assert(io.open(args.out, "w")) or io.stderr
local strsize = tonumber(args.strsize) or 32

-- How many arguments each call takes (n), and what argument i points to (key i):
-- "s" a NUL-terminated string, a number k: a buffer whose length is argument k,
-- "r": a buffer the call fills (shown after it returns, result bytes long).
-- Calls not listed show six numbers.
local calls = {
  read = { n = 3, [2] = "r" }, write = { n = 3, [2] = 3 }, open = { n = 3, [1] = "s" },
  openat = { n = 4, [2] = "s" }, close = { n = 1 }, creat = { n = 2, [1] = "s" },
  link = { n = 2, "s", "s" }, unlink = { n = 1, "s" }, unlinkat = { n = 3, [2] = "s" },
  execve = { n = 3, "s" }, chdir = { n = 1, "s" }, mkdir = { n = 2, "s" },
  mkdirat = { n = 3, [2] = "s" }, rmdir = { n = 1, "s" }, rename = { n = 2, "s", "s" },
  access = { n = 2, "s" }, faccessat = { n = 3, [2] = "s" }, faccessat2 = { n = 4, [2] = "s" },
  stat = { n = 2, "s" }, lstat = { n = 2, "s" }, stat64 = { n = 2, "s" },
  lstat64 = { n = 2, "s" }, fstat = { n = 2 }, fstat64 = { n = 2 },
  fstatat64 = { n = 4, [2] = "s" }, statx = { n = 5, [2] = "s" }, readlink = { n = 3, "s" },
  readlinkat = { n = 4, [2] = "s" }, getcwd = { n = 2 }, lseek = { n = 3 }, _llseek = { n = 5 },
  pread64 = { n = 4, [2] = "r" }, pwrite64 = { n = 4, [2] = 3 }, readv = { n = 3 },
  writev = { n = 3 }, ioctl = { n = 3 }, fcntl = { n = 3 }, fcntl64 = { n = 3 }, dup = { n = 1 },
  dup2 = { n = 2 }, dup3 = { n = 3 }, pipe = { n = 1 }, pipe2 = { n = 2 }, brk = { n = 1 },
  mmap = { n = 6 }, mmap2 = { n = 6 }, munmap = { n = 2 }, mprotect = { n = 3 },
  mremap = { n = 5 }, madvise = { n = 3 }, exit = { n = 1 }, exit_group = { n = 1 },
  getpid = { n = 0 }, getppid = { n = 0 }, gettid = { n = 0 }, getuid = { n = 0 },
  geteuid = { n = 0 }, getgid = { n = 0 }, getegid = { n = 0 }, kill = { n = 2 },
  tkill = { n = 2 }, tgkill = { n = 3 }, uname = { n = 1 }, time = { n = 1 },
  gettimeofday = { n = 2 }, clock_gettime = { n = 2 }, clock_gettime64 = { n = 2 },
  nanosleep = { n = 2 }, clock_nanosleep = { n = 4 }, clock_nanosleep_time64 = { n = 4 },
  rt_sigaction = { n = 4 }, rt_sigprocmask = { n = 4 }, sigaltstack = { n = 2 },
  set_tid_address = { n = 1 }, set_robust_list = { n = 2 }, futex = { n = 6 },
  futex_time64 = { n = 6 }, clone = { n = 5 }, fork = { n = 0 }, vfork = { n = 0 },
  wait4 = { n = 4 }, waitpid = { n = 3 }, getrandom = { n = 3 }, prlimit64 = { n = 4 },
  ugetrlimit = { n = 2 }, getrlimit = { n = 2 }, setrlimit = { n = 2 }, sched_yield = { n = 0 },
  getdents64 = { n = 3 }, getdents = { n = 3 }, poll = { n = 3 }, ppoll = { n = 5 },
  select = { n = 5 }, _newselect = { n = 5 }, socket = { n = 3 }, connect = { n = 3 },
  bind = { n = 3 }, listen = { n = 2 }, accept = { n = 3 }, sendto = { n = 6, [2] = 3 },
  recvfrom = { n = 6, [2] = "r" }, rseq = { n = 4 }, umask = { n = 1 }, chmod = { n = 2, "s" },
  fchmod = { n = 2 }, chown = { n = 3, "s" }, fchown = { n = 3 }, ftruncate = { n = 2 },
  truncate = { n = 2, "s" }, fsync = { n = 1 }, fdatasync = { n = 1 }, getpgrp = { n = 0 },
  setsid = { n = 0 }, setpgid = { n = 2 }, personality = { n = 1 }, prctl = { n = 5 },
}
local no_return = { exit = true, exit_group = true }

-- Registers are zero-extended: show 32-bit negative values (AT_FDCWD, -1) as such.
local function signed32(v)
  if v >= 0xffff0000 and v <= 0xffffffff then return v - 0x100000000 end
  return v
end

local function number(v)
  v = signed32(v)
  if v < 0x10000 then return tostring(v) end
  return string.format("0x%x", v)
end

local function quote(s, truncated)
  s = s:gsub('[%c"\\\128-\255]', function(c)
    local named = { ["\n"] = "\\n", ["\t"] = "\\t", ["\r"] = "\\r", ['"'] = '\\"', ["\\"] = "\\\\" }
    return named[c] or string.format("\\x%02x", c:byte())
  end)
  return '"' .. s .. '"' .. (truncated and "..." or "")
end

-- A NUL-terminated string at addr, read a chunk at a time.
local function cstring(cpu, addr)
  if not cpu then return number(addr) end
  local s = ""
  while #s < 4096 do
    local chunk = cpu:read(addr + #s, 64 - (addr + #s) % 64)
    if not chunk then break end
    local nul = chunk:find("\0", 1, true)
    if nul then return quote(s .. chunk:sub(1, nul - 1)) end
    s = s .. chunk
  end
  return number(addr)
end

local function buffer(cpu, addr, len)
  if not cpu or len < 0 then return number(addr) end
  local n = math.min(len, strsize)
  local bytes = cpu:read(addr, n)
  if not bytes then return number(addr) end
  return quote(bytes, n < len)
end

local function format_args(cpu, name, a, result)
  local spec = calls[name] or { n = 6 }
  local shown = {}
  for i = 1, spec.n do
    local kind = spec[i]
    if kind == "s" then
      shown[i] = cstring(cpu, a[i])
    elseif kind == "r" then
      shown[i] = result and result >= 0 and buffer(cpu, a[i], result) or number(a[i])
    elseif type(kind) == "number" then
      shown[i] = buffer(cpu, a[i], signed32(a[kind]))
    else
      shown[i] = number(a[i])
    end
  end
  return table.concat(shown, ", ")
end

local function result_text(result)
  if result < 0 and result > -4096 then return string.format("-1 (errno %d)", -result) end
  return number(result)
end

-- Calls that never return are shown when they are made, the others when they return.
emu.on_syscall(function(cpu, nr, a1, a2, a3, a4, a5, a6, name)
  name = name or ("syscall_" .. nr)
  if no_return[name] then
    local shown = format_args(cpu, name, { a1, a2, a3, a4, a5, a6 })
    out:write(string.format("%s(%s) = ?\n", name, shown))
    out:flush()
  end
end)

emu.on_syscall_return(function(cpu, nr, result, a1, a2, a3, a4, a5, a6, name)
  name = name or ("syscall_" .. nr)
  local shown = format_args(cpu, name, { a1, a2, a3, a4, a5, a6 }, result)
  out:write(string.format("%s(%s) = %s\n", name, shown, result_text(result)))
end)

emu.on_exit(function() out:flush() end)
