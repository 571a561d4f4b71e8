"""Reading an instructor's file without ever blocking, reading without end, or leaving its folder.

Every input (question file, catalog, document, image) is read through `read_input_file`: the
path is resolved, confined, checked to be a regular file of bounded size by os.stat BEFORE it
is opened, and then at most limit + 1 bytes are read. A FIFO would block an open() forever and
/dev/zero would fill memory; both are refused by their type, never opened.
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

# On POSIX an open() of a FIFO for reading blocks until a writer appears; O_NONBLOCK makes it
# return at once, so a file swapped for a FIFO between our stat and our open still cannot hang.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


class Refused(Exception):
    """Why a file cannot be read; the message completes '<name> ...' in one line."""


def _why(exc: BaseException) -> str:
    if isinstance(exc, FileNotFoundError):
        return "does not exist"
    if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP:
        return "is a symbolic link that loops"
    if getattr(exc, "errno", None) == errno.ENAMETOOLONG:
        return "has a name too long for this system"
    if isinstance(exc, UnicodeError):
        return "has a name that is not valid UTF-8"
    if isinstance(exc, ValueError):
        return "has a name with a NUL character"
    return f"cannot be read: {getattr(exc, 'strerror', None) or exc}"


def resolve_inside(path: Path, folder: Path | None) -> Path:
    """The path with its symbolic links resolved, or Refused if it leads outside `folder`."""
    try:
        resolved = path.resolve(strict=True)
        if folder is not None and folder.resolve() not in resolved.parents:
            raise Refused(f"leads outside {folder}")
        return resolved
    except (OSError, RuntimeError, ValueError, UnicodeError) as exc:
        raise Refused(_why(exc)) from exc


def read_input_file(path: Path, limit: int, folder: Path | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (inside `folder` if given), or Refused."""
    return b"".join(read_input_chunks(path, limit, folder))


def read_input_chunks(path: Path, limit: int, folder: Path | None = None, chunk_bytes: int = 1 << 20):
    """The bytes of a regular file of at most `limit` bytes, a chunk at a time, checked as read_input_file does.

    For readers that stream (a Moodle XML or CSV file may hold 100,000 questions): the file is
    never all in memory at once. Raises Refused, possibly after some chunks have been given.
    """
    resolved = resolve_inside(path, folder)
    try:
        info = os.stat(resolved)
        if not stat.S_ISREG(info.st_mode):
            raise Refused("is not a regular file")
        if info.st_size > limit:
            raise Refused(f"is larger than {limit:,} bytes")
        fd = os.open(resolved, _OPEN_FLAGS)
    except (OSError, ValueError, UnicodeError) as exc:
        raise Refused(_why(exc)) from exc
    try:
        # The stat above named a path; this one the open file, which is what we read.
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Refused("is not a regular file")
        size = 0
        while True:
            try:
                chunk = os.read(fd, chunk_bytes)
            except OSError as exc:
                raise Refused(_why(exc)) from exc
            if not chunk:
                return
            size += len(chunk)
            if size > limit:  # the file grew after the stat
                raise Refused(f"is larger than {limit:,} bytes")
            yield chunk
    finally:
        os.close(fd)
