"""The transport: the release `egan` binary, run with JSON over pipes.

Why a subprocess and not a C ABI of the Swift library: measured (benchmarks/python_overhead.py), a call costs the
binary's start-up, about 10 ms, against 15-70 ms for the work of the cheapest commands and seconds for studies;
JSON in shortest round-trip form is exact for float64 both ways; and a separate process is what makes Ctrl-C, a
crash or a LAPACK abort in the Swift code unable to take the Python interpreter (or a Jupyter kernel) down with it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import warnings
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence


class EganWarning(UserWarning):
    """A note or warning egan printed on a run that succeeded (the integrator it chose, a shortened run, …)."""


class EganError(ValueError):
    """egan refused the input or failed; the message is egan's one line (naming the field or option and the fix)."""

    def __init__(self, message: str, *, exit_code: int, command: Sequence[str]):
        super().__init__(message)
        self.exit_code = exit_code
        self.command = list(command)


def binary() -> Path:
    """The egan executable: `$EFFECTIVEGAN_EGAN`, else the one shipped inside the package, else `egan` on PATH."""
    given = os.environ.get("EFFECTIVEGAN_EGAN")
    if given:
        return Path(given)
    shipped = Path(__file__).resolve().parent / "_bin" / "egan"
    if shipped.is_file():
        return shipped
    found = shutil.which("egan")
    if found:
        return Path(found)
    raise EganError(
        "no egan binary: reinstall with `pip install ./python` from the checkout, or set EFFECTIVEGAN_EGAN",
        exit_code=2, command=[])


_PROGRESS = re.compile(r"(?P<label>.*?)\s*[█·]+\s+(?P<done>\d+)/(?P<total>\d+)")


class _ProgressSink:
    """Turns egan's `--progress` lines (`label ███··· k/n`, redrawn with `\\r`) into a tqdm bar when tqdm is
    installed, else into a one-line redraw on sys.stderr."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bar = None
        self.total = None

    def update(self, label: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        try:
            from tqdm.auto import tqdm  # optional
        except ImportError:
            tqdm = None
        if tqdm is not None:
            if self.bar is None or self.total != total:
                self.close()
                self.bar = tqdm(total=total, desc=label or "egan", leave=False)
                self.total = total
            self.bar.update(done - self.bar.n)
        else:
            self.total = total
            sys.stderr.write(f"\r{label} {done}/{total}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
        elif self.total is not None:
            sys.stderr.write("\n")
            self.total = None


def _read_stderr(stream, sink: _ProgressSink, lines: list) -> None:
    buffer = ""
    while True:
        chunk = stream.read1(4096) if hasattr(stream, "read1") else stream.read(4096)
        if not chunk:
            break
        buffer += chunk.decode("utf-8", errors="replace")
        *complete, buffer = re.split(r"[\r\n]", buffer)
        for piece in complete:
            _take(piece, sink, lines)
    if buffer:
        _take(buffer, sink, lines)


def _take(piece: str, sink: _ProgressSink, lines: list) -> None:
    piece = piece.replace("\x1b[K", "").strip()
    if not piece:
        return
    # A message may follow a half-drawn bar on the same line: "label ███··· 3/10egan: error: …".
    start = piece.find("egan: ")
    if start > 0:
        _take(piece[:start], sink, lines)
        piece = piece[start:]
    match = _PROGRESS.fullmatch(piece)
    if match:
        sink.update(match["label"], int(match["done"]), int(match["total"]))
    else:
        lines.append(piece)


def run(arguments: Iterable[str], *, progress: bool = False) -> str:
    """Runs `egan ARGUMENTS…` and returns its stdout.

    Raises EganError with egan's message when it exits non-zero. On KeyboardInterrupt the child gets SIGINT (it
    removes its temporary files and exits 130; killed if it has not after 10 s) and the interrupt is re-raised, so
    no process is left behind.
    """
    command = [str(binary()), *arguments]
    if progress:
        command.append("--progress")
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               preexec_fn=_die_with_parent)
    sink = _ProgressSink(progress)
    messages: list = []
    chunks: list = []
    # Both pipes are drained by threads for the whole run, so egan never blocks on a full pipe — also while it
    # prints what it has after a SIGINT — and the main thread only waits, which a KeyboardInterrupt can interrupt.
    readers = [threading.Thread(target=_read_stderr, args=(process.stderr, sink, messages), daemon=True),
               threading.Thread(target=lambda: chunks.append(process.stdout.read()), daemon=True)]
    for reader in readers:
        reader.start()
    try:
        process.wait()
    except BaseException:  # KeyboardInterrupt, SystemExit from a signal handler, anything: never leave egan running
        _stop(process)
        raise
    finally:
        for reader in readers:
            reader.join(timeout=10)
        sink.close()
        process.stdout.close()
        process.stderr.close()
    output = b"".join(chunks)
    if process.returncode != 0:
        raise EganError(_message(messages, process.returncode), exit_code=process.returncode, command=command)
    for line in messages:  # egan's notes and warnings (e.g. which integrator a default run chose)
        if re.match(r"^egan: (note|warning):", line):
            warnings.warn(line[len("egan: "):], EganWarning, stacklevel=3)
    return output.decode("utf-8")


def run_json(arguments: Iterable[str], *, progress: bool = False) -> dict:
    """Runs an egan command with `--format json` and returns the parsed object (float64 exact: egan writes
    shortest round-trip decimals, which Python's float() reads back to the same double)."""
    return json.loads(run([*arguments, "--format", "json"], progress=progress))


def _stop(process: subprocess.Popen) -> None:
    """SIGINT to egan (it removes its temporary files and exits 130), killed only if it has not exited after
    10 s; the reader threads keep draining its output meanwhile."""
    if process.poll() is not None:
        return
    try:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)
    finally:  # also when a second Ctrl-C interrupts the wait
        if process.poll() is None:
            process.kill()
            process.wait()


def _resolve_prctl():
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


# Resolved once at import, so the child runs only one C call between fork and exec (no import, no allocation).
_PRCTL = _resolve_prctl()
_PARENT = os.getpid()


def _die_with_parent() -> None:
    """In the child before exec (Linux): SIGINT to egan when the Python process dies, however it dies (SIGTERM
    from Slurm, a killed Jupyter kernel), so egan stops cleanly and removes its temporary files."""
    if _PRCTL is not None:
        _PRCTL(1, 2)  # PR_SET_PDEATHSIG, SIGINT
        if os.getppid() != _PARENT:  # the parent died before the call: nobody would send it
            os.kill(os.getpid(), 2)


def _message(lines: list, code: int) -> str:
    """egan's error line (a note printed before it is not the error), else its first line."""
    errors = [line for line in lines if re.match(r"^(egan: )?error:", line, flags=re.IGNORECASE)]
    for line in errors + lines:
        text = re.sub(r"^((error|egan):\s*)+", "", line, flags=re.IGNORECASE)
        if text:
            return text
    return f"egan exited with status {code}"


def flag_arguments(options: dict, comma_lists: Iterable[str] = ()) -> list:
    """Keyword options as egan flags: `t_end=2000` → `--t-end=2000` (the `=` form, so a negative number is a value,
    not a flag); True → a bare flag, False/None → nothing; a
    list → the flag repeated (or one comma-joined value for options egan reads as a list); floats in repr form,
    which egan reads back exactly."""
    comma = set(comma_lists)
    arguments: list = []
    for key, value in options.items():
        if value is None or value is False:
            continue
        flag = "--" + key.replace("_", "-")
        if value is True:
            arguments.append(flag)
        elif isinstance(value, dict):
            arguments += [f"{flag}={path}={_format_list(values if _is_sequence(values) else [values])}"
                          for path, values in value.items()]
        elif isinstance(value, (list, tuple)) or _is_array(value):
            if key in comma:
                arguments.append(f"{flag}={_format_list(value)}")
            else:
                arguments += [f"{flag}={format_value(item)}" for item in value]
        else:
            arguments.append(f"{flag}={format_value(value)}")
    return arguments


def _is_sequence(value: Any) -> bool:
    return isinstance(value, (list, tuple, str)) or _is_array(value)


def _is_array(value: Any) -> bool:
    return hasattr(value, "tolist") and hasattr(value, "shape") and len(getattr(value, "shape")) == 1


def _format_list(values: Any) -> str:
    if isinstance(values, str):
        return values
    return ",".join(format_value(item) for item in values)


def format_value(value: Any) -> str:
    """One flag value: floats (Python, NumPy or a one-element torch tensor) in repr form, exact for egan."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()  # NumPy and torch scalars (and one-element arrays)
        except (ValueError, RuntimeError) as error:
            raise EganError(f"option value {value!r} is not one number ({error})", exit_code=2, command=[])
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)
