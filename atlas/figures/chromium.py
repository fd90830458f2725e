"""One headless chromium (kaleido's) kept by the process for every chart image and PDF.

Starting chromium costs about 1.6 s, more than rendering a note's charts and printing it together
(issue 18: a country note in under 5 s). So the first image or PDF starts a browser, and later ones
reuse it: the app server, a test session and a command line each keep at most one. It lives in a
thread of its own with its own event loop (Streamlit's script thread and pytest may run a loop of
theirs), serves one job at a time, closes after `IDLE_SECONDS` without work (its memory goes back
to the machine) and at exit. A job that fails is tried once more in a fresh browser, so a chromium
that crashed or was killed costs one start, never an error the reader sees.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)

IDLE_SECONDS = 600.0
JOB_SECONDS = 120.0  # a job that takes longer is a hung browser

_lock = threading.Lock()  # one job at a time, from any thread
_loop: asyncio.AbstractEventLoop | None = None
_browser: Any = None  # kaleido.Kaleido, open
_idle: asyncio.TimerHandle | None = None


def run(job: Callable[[Any], Awaitable]) -> Any:
    """`await job(browser)` in the kept chromium (a kaleido.Kaleido) and return its result."""
    with _lock:
        loop = _start_loop()
        return asyncio.run_coroutine_threadsafe(_run(job), loop).result(JOB_SECONDS * 2 + 10)


def close() -> None:
    """Close the browser now (the next job starts another)."""
    with _lock:
        if _loop is not None:
            asyncio.run_coroutine_threadsafe(_close(), _loop).result(30)


def is_open() -> bool:
    return _browser is not None


def _start_loop() -> asyncio.AbstractEventLoop:
    global _loop
    if _loop is None:
        _loop = asyncio.new_event_loop()
        threading.Thread(target=_loop.run_forever, name="atlas-chromium", daemon=True).start()
        atexit.register(close)
    return _loop


async def _run(job):
    global _browser, _idle
    if _idle is not None:
        _idle.cancel()
    for attempt in (1, 2):
        if _browser is None:
            import kaleido

            _browser = kaleido.Kaleido(n=1)
            await _browser.open()
        try:
            result = await asyncio.wait_for(job(_browser), JOB_SECONDS)
            break
        except Exception:
            await _close()
            if attempt == 2:
                raise
            log.warning("chromium job failed; trying once more in a fresh browser", exc_info=True)
    _idle = asyncio.get_running_loop().call_later(IDLE_SECONDS, lambda: asyncio.ensure_future(_close()))
    return result


async def _close() -> None:
    global _browser, _idle
    if _idle is not None:
        _idle.cancel()
        _idle = None
    browser, _browser = _browser, None
    if browser is not None:
        try:
            await browser.close()
        except Exception:  # a browser already dead has nothing left to close
            log.debug("closing chromium", exc_info=True)
