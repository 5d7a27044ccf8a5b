"""The OS-level seal: `connect(2)` denied for the rest of the process and its children.

On Linux, `install()` loads a seccomp filter (through `pyseccomp`, a ctypes binding over the
system's libseccomp.so.2) that lets every system call through except `connect`, which fails
with EACCES ("Permission denied"). It stops what a Python-level guard cannot: C clients (libpq,
over TCP or its unix socket), and child processes, which inherit the filter. `socketpair` never
calls `connect`, so asyncio's event loop (its self-pipe is a socketpair) keeps working; `bind`,
`listen` and `accept` are untouched. Unix-socket connects are denied too: that is how libpq's
`/var/run/postgresql/.s.PGSQL.5432` is stopped.

A loaded filter cannot be lifted: seal only a process that will never need the network again.
It applies to every thread (TSYNC), and sets no_new_privs, as unprivileged seccomp requires (a
set-user-ID program started afterwards runs without its privileges).

Where the seal cannot be installed (not Linux, pyseccomp or libseccomp missing, a kernel without
seccomp filters), `install()` raises `SealUnavailable` saying why, and nothing has changed.

Pure: no pytest import, so any runner (the pytest plugin, `pytest-tiers adopt`) can seal a
process. Importable on Python 3.9.
"""

from __future__ import annotations

import errno
import sys

# What a denied connect fails with.
DENIED_ERRNO = errno.EACCES

_installed = False


class SealUnavailable(Exception):
    """The seal cannot be installed here; the message says why (lower case, no full stop)."""


def installed() -> bool:
    """Whether this process has been sealed by `install()`."""
    return _installed


def _kernel_reason() -> str | None:
    """Why the kernel cannot take a seccomp filter, if /proc says so; None otherwise."""
    try:
        with open("/proc/self/status", encoding="utf-8") as status:
            fields = dict(line.split(":", 1) for line in status if ":" in line)
    except OSError:
        return None  # no /proc to ask: let the kernel answer when the filter loads
    if "Seccomp" not in fields:
        return "this kernel was built without seccomp (no `Seccomp:` in /proc/self/status)"
    return None


def install() -> None:
    """Denies `connect(2)` with EACCES for the rest of this process and its future children.

    Idempotent. Raises `SealUnavailable` (with the reason) when it cannot seal; then nothing
    has changed.
    """
    global _installed
    if _installed:
        return
    if not sys.platform.startswith("linux"):
        raise SealUnavailable(f"seccomp is Linux-only, and this is {sys.platform}")
    reason = _kernel_reason()
    if reason is not None:
        raise SealUnavailable(reason)
    try:
        import pyseccomp
    except ImportError:
        raise SealUnavailable("pyseccomp is not installed (`pip install pyseccomp`)") from None
    except (RuntimeError, OSError) as error:  # pyseccomp raises RuntimeError without the .so
        raise SealUnavailable(f"libseccomp is not installed; pyseccomp: {error}") from None
    try:
        syscall_filter = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
        syscall_filter.set_attr(pyseccomp.Attr.CTL_TSYNC, 1)
        syscall_filter.add_rule(pyseccomp.ERRNO(DENIED_ERRNO), "connect")
        syscall_filter.load()
    except OSError as error:
        raise SealUnavailable(
            f"the kernel refused the seccomp filter ({error.strerror or error})"
        ) from None
    _installed = True
