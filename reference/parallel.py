"""Splitting one large exact computation across the machine's cores (forked processes).

Two shapes of work, both on FLINT/Python integers and both exact by construction:

* independent per entry — the decimal digits of ~800 numbers of half a million bits
  (d = 2, N = 400), the products of the lowest-terms test: :func:`map_in_parts` cuts the
  list into contiguous parts, computes the first here and each other part in a forked
  child, and returns the results in order (:func:`start_in_parts` begins the children
  and lets this process do other work first).  Forking shares the inputs with the
  children for free (copy on write); only the results travel back, pickled, through an
  unlinked temporary file;
* two partners exchanging integers as they go — the moment recursion
  (:mod:`reference.moments_pair`): :func:`run_pair` with a :class:`Channel`.

Nothing here changes a number: each part runs the same function as the serial path, and
the tests demand identical output with one worker and with several.

Workers: ``COLLAPSE_REF_WORKERS`` (a positive integer; ``1`` turns splitting off), by
default the number of cores this process may run on (its CPU affinity and any cgroup CPU
quota, at most 8).  Only where ``os.fork`` is the platform's native way to start a
process (Linux) and from a single-threaded process; elsewhere everything runs serially.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, Generic, TypeVar

from .errors import InputError

T = TypeVar("T")
R = TypeVar("R")

WORKERS_VARIABLE = "COLLAPSE_REF_WORKERS"


def workers() -> int:
    """How many processes a split may use: ``$COLLAPSE_REF_WORKERS``, else the usable cores (1 without fork).

    >>> workers() >= 1
    True
    """
    text = os.environ.get(WORKERS_VARIABLE, "").strip()
    if text:
        if not text.isdigit() or int(text) < 1:
            raise InputError(f"{WORKERS_VARIABLE}={text!r} is not allowed; give a positive integer (1: no parallelism)")
        wanted = int(text)
    else:
        wanted = min(_usable_cores(), DEFAULT_MAX_WORKERS)
    return wanted if can_fork() else 1


DEFAULT_MAX_WORKERS = 8
"""Without ``COLLAPSE_REF_WORKERS``: at most this many (the splits are two-way or per-entry;
more processes mostly add copies)."""


@lru_cache(maxsize=1)
def _usable_cores() -> int:
    """Cores this process may use: its CPU affinity, capped by a cgroup CPU quota (containers)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    quota = _cgroup_quota()
    return max(1, min(cores, quota) if quota else cores)


def _read(path: str) -> str | None:
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


def _cgroup_quota() -> int | None:
    """CPUs allowed by a cgroup quota (v2 ``cpu.max``, v1 ``cpu.cfs_quota_us``), rounded up; None if unlimited."""
    v2 = _read("/sys/fs/cgroup/cpu.max")
    fields = v2.split() if v2 else [_read("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"), _read("/sys/fs/cgroup/cpu/cpu.cfs_period_us")]
    try:
        quota, period = int(fields[0]), int(fields[1])  # "max" or a missing file: unlimited
    except (TypeError, ValueError, IndexError):
        return None
    return -(-quota // period) if quota > 0 and period > 0 else None


def can_fork() -> bool:
    """Whether parts may run in forked children: on Linux (where fork is the native start
    method) and only from a single-threaded process, since a fork copies one thread and
    any lock another thread holds (a notebook kernel, a dask worker) would stay locked."""
    import threading

    return sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1


def map_in_parts(func: Callable[[Sequence[T]], list[R]], items: Sequence[T], parts: int | None = None) -> list[R]:
    """``func(items)`` computed as ``func(part_0) + func(part_1) + ...`` on contiguous parts,
    the first here and the others in forked children at the same time.

    ``func`` maps a part to a list (usually one result per item; the lists are
    concatenated in order) and must be deterministic; its results must be picklable.
    With one part (one worker, a short list or no fork) this is exactly ``func(items)``.
    An exception in a child is raised here; a part whose worker cannot start or dies
    without a result (killed, out of memory) is computed here instead.

    >>> map_in_parts(lambda xs: [x * x for x in xs], list(range(7)), parts=3)
    [0, 1, 4, 9, 16, 25, 36]
    """
    return start_in_parts(func, items, parts).result()


def start_in_parts(func: Callable[[Sequence[T]], list[R]], items: Sequence[T], parts: int | None = None) -> Parts[R]:
    """:func:`map_in_parts`, begun: the children start on their parts now, and
    :meth:`Parts.result` computes the first part here and collects theirs.  Between the
    two this process is free for other work (the command line certifies an answer while
    the children write its digits)."""
    parts = min(parts or workers(), len(items))
    if parts <= 1 or not can_fork():
        return Parts(func, [items], [])
    bounds = [len(items) * i // parts for i in range(parts + 1)]
    pieces = [items[bounds[i]:bounds[i + 1]] for i in range(parts)]
    children: list[tuple[int, Any] | None] = []
    for piece in pieces[1:]:
        try:
            children.append(_start(func, piece))
        except OSError:  # no temporary file or no fork (out of processes or memory): this part runs here
            children.append(None)
    return Parts(func, pieces, children)


class Parts(Generic[R]):
    """The parts of a :func:`start_in_parts` job: the first to compute here, the others running."""

    def __init__(self, func: Callable[[Sequence[Any]], list[R]], pieces: list[Sequence[Any]],
                 children: list[tuple[int, Any] | None]) -> None:
        self._func, self._pieces, self._children = func, pieces, children
        self._result: list[R] | None = None

    def result(self) -> list[R]:
        """All results in order; a part whose worker never started or died is computed here."""
        if self._result is None:
            self._result = self._gather()
        return self._result

    def _gather(self) -> list[R]:
        try:
            out = list(self._func(self._pieces[0]))
        finally:
            results = [_collect(child) if child is not None else None for child in self._children]
            self._children = [None] * len(self._children)
        for piece, result in zip(self._pieces[1:], results, strict=True):
            if result is None:
                out.extend(self._func(piece))
                continue
            ok, value = result
            if not ok:
                raise value
            out.extend(value)
        return out

    def discard(self) -> None:
        """Stop the workers and drop their results (the answer they worked on was refused);
        a later :meth:`result` would compute every part here."""
        for child in self._children:
            if child is not None:
                pid, out = child
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
                os.waitpid(pid, 0)
                out.close()
        self._children = [None] * len(self._children)


def _fork(child: Callable[[], None]) -> int:
    """Fork; the child runs ``child()`` and leaves at once through ``os._exit`` (status 1 if it
    raised), never returning into the parent's code or running its exit handlers.  Output
    buffers are flushed first so that nothing is written twice."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            child()
        except BaseException:  # noqa: BLE001 - the parent learns of it from the missing result
            code = 1
        finally:
            os._exit(code)
    return pid


def _start(func: Callable[[Sequence[T]], list[R]], part: Sequence[T]) -> tuple[int, Any]:
    """Fork a child computing ``func(part)``; its pickled result goes to an unlinked temporary
    file (not a pipe: a pipe holds 64 KiB, so a child with 60 MB of digits would wait,
    chunk by chunk, for the parent to finish its own part before handing them over)."""
    import tempfile

    out = tempfile.TemporaryFile()

    def child() -> None:
        try:
            payload = pickle.dumps((True, list(func(part))), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # noqa: BLE001 - sent back and raised in the parent
            try:
                payload = pickle.dumps((False, exc))
            except Exception:  # noqa: BLE001 - an unpicklable exception travels as its text
                payload = pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
        out.write(payload)
        out.flush()

    return _fork(child), out


def _collect(child: tuple[int, Any]) -> tuple[bool, Any] | None:
    """The child's ``(ok, result or exception)``, or None if it left no complete result."""
    pid, out = child
    with out:
        os.waitpid(pid, 0)
        out.seek(0)
        payload = out.read()
    try:
        return pickle.loads(payload) if payload else None
    except Exception:  # noqa: BLE001 - a truncated result (the worker was killed while writing)
        return None


class Channel:
    """Two processes exchanging integers through a pair of pipes (see :func:`run_pair`).

    A message is an 8-byte signed length (its sign the integer's) and the magnitude's
    bytes.  The pipes are enlarged to the system's maximum (1 MiB on Linux) so that a
    send of up to that size returns at once and the sender keeps computing.
    """

    def __init__(self, read: int, write: int) -> None:
        self._read, self._write = read, write

    def send(self, value: int) -> None:
        value = int(value)
        body = abs(value).to_bytes((abs(value).bit_length() + 7) // 8, "little")
        data = (len(body) if value >= 0 else -len(body)).to_bytes(8, "little", signed=True) + body
        view = memoryview(data)
        while view:
            view = view[os.write(self._write, view):]

    def recv(self) -> int:
        size = int.from_bytes(self._exactly(8), "little", signed=True)
        value = int.from_bytes(self._exactly(abs(size)), "little")
        return value if size >= 0 else -value

    def _exactly(self, size: int) -> bytes:
        chunks, got = [], 0
        while got < size:
            chunk = os.read(self._read, size - got)
            if not chunk:
                raise RuntimeError("the partner process ended before sending its result")
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        for fd in (self._read, self._write):
            try:
                os.close(fd)
            except OSError:
                pass


def _big_pipe() -> tuple[int, int]:
    read, write = os.pipe()
    try:
        import fcntl

        size = int(_read("/proc/sys/fs/pipe-max-size") or 0)
        if size:
            fcntl.fcntl(write, getattr(fcntl, "F_SETPIPE_SZ", 1031), size)
    except (OSError, ValueError, ImportError):
        pass  # a smaller pipe only makes a sender wait for its reader
    return read, write


def run_pair(work: Callable[[int, Channel], R]) -> R:
    """``work(0, channel)`` here and ``work(1, channel)`` in a forked child, at the same time.

    The two calls talk through ``channel.send(int)`` / ``channel.recv()``; the child's
    return value is dropped (everything the parent needs must be sent).  If the child
    fails, the parent's next ``recv`` raises.  Needs :func:`can_fork`.
    """
    if not can_fork():
        raise RuntimeError("run_pair needs fork (Linux)")
    to_child, to_parent = _big_pipe(), _big_pipe()

    def child() -> None:  # if it fails, the parent's next recv finds the pipe closed
        os.close(to_child[1])
        os.close(to_parent[0])
        work(1, Channel(to_child[0], to_parent[1]))

    pid = _fork(child)
    os.close(to_child[0])
    os.close(to_parent[1])
    channel = Channel(to_parent[0], to_child[1])
    try:
        return work(0, channel)
    finally:
        channel.close()
        os.waitpid(pid, 0)
