"""A small Chrome DevTools Protocol helper for the web-mode test.

Starts headless Chromium with a fresh profile, connects to the page target's
websocket (aiohttp's client: textual-serve already depends on aiohttp) and
sends commands. Enough for: navigate, evaluate JavaScript, key presses, mouse
events and screenshots. Everything it starts is killed by :meth:`Browser.kill`,
the whole process group with SIGKILL, so a hung browser cannot outlive a test.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--disable-default-apps",
    "--disable-extensions",
    "--mute-audio",
    "--hide-scrollbars",
)


class CDPError(RuntimeError):
    """A DevTools command failed, or the browser did not answer in time."""


def find_chromium() -> str | None:
    """Path of a Chromium/Chrome executable, or None."""
    override = os.environ.get("STRETCHTUI_CHROMIUM")
    if override:
        return override if Path(override).exists() else None
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def kill_group(proc: subprocess.Popen | None, timeout: float = 5.0) -> None:
    """SIGKILL ``proc``'s whole process group (it must have been started with
    ``start_new_session=True``) and reap ``proc``. Never raises."""
    if proc is None:
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, OSError):
        pass
    try:
        proc.kill()
    except OSError:
        pass
    try:
        proc.wait(timeout=timeout)
    except (subprocess.TimeoutExpired, OSError):
        pass


def group_members(pgid: int) -> list[int]:
    """Pids of live processes in process group ``pgid`` (Linux /proc)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid pgrp ...; comm may contain spaces/parens
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 2 and fields[0] != "Z" and int(fields[2]) == pgid:
            pids.append(int(entry.name))
    return pids


# Keys for Input.dispatchKeyEvent: name -> (key, code, windowsVirtualKeyCode, text)
SPECIAL_KEYS: dict[str, tuple[str, str, int, str]] = {
    "enter": ("Enter", "Enter", 13, "\r"),
    "tab": ("Tab", "Tab", 9, ""),
    "escape": ("Escape", "Escape", 27, ""),
    "backspace": ("Backspace", "Backspace", 8, ""),
    "delete": ("Delete", "Delete", 46, ""),
    "space": (" ", "Space", 32, " "),
    "up": ("ArrowUp", "ArrowUp", 38, ""),
    "down": ("ArrowDown", "ArrowDown", 40, ""),
    "left": ("ArrowLeft", "ArrowLeft", 37, ""),
    "right": ("ArrowRight", "ArrowRight", 39, ""),
    "home": ("Home", "Home", 36, ""),
    "end": ("End", "End", 35, ""),
    "pageup": ("PageUp", "PageUp", 33, ""),
    "pagedown": ("PageDown", "PageDown", 34, ""),
    **{f"f{n}": (f"F{n}", f"F{n}", 111 + n, "") for n in range(1, 13)},
}

MODIFIER_BITS = {"alt": 1, "ctrl": 2, "meta": 4, "shift": 8}

_SHIFTED = {
    "!": "1", "@": "2", "#": "3", "$": "4", "%": "5", "^": "6", "&": "7", "*": "8", "(": "9", ")": "0",
    "_": "-", "+": "=", "{": "[", "}": "]", "|": "\\", ":": ";", '"': "'", "<": ",", ">": ".", "?": "/",
    "~": "`",
}
_PUNCT_CODES = {
    "-": ("Minus", 189), "=": ("Equal", 187), "[": ("BracketLeft", 219), "]": ("BracketRight", 221),
    "\\": ("Backslash", 220), ";": ("Semicolon", 186), "'": ("Quote", 222), ",": ("Comma", 188),
    ".": ("Period", 190), "/": ("Slash", 191), "`": ("Backquote", 192),
}


def key_event_params(key: str) -> tuple[dict[str, Any], bool]:
    """CDP parameters for one key, Textual-style names: ``"a"``, ``"A"``,
    ``"enter"``, ``"ctrl+s"``, ``"shift+tab"``, ``"?"``.

    Returns (params for keyDown/keyUp, whether the key produces text).
    """
    parts = key.split("+") if len(key) > 1 else [key]
    if len(parts) > 1 and parts[-1] == "":  # "ctrl++" style
        parts = [*parts[:-2], "+"]
    *mods, name = parts
    modifiers = 0
    for mod in mods:
        modifiers |= MODIFIER_BITS[mod.lower()]
    lname = name.lower()
    if (lname in SPECIAL_KEYS and len(name) > 1) or name == " ":
        k, code, vk, text = SPECIAL_KEYS["space" if name == " " else lname]
    elif len(name) == 1:
        ch = name
        if ch.isalpha():
            k, code, vk = ch, f"Key{ch.upper()}", ord(ch.upper())
            if ch.isupper():
                modifiers |= MODIFIER_BITS["shift"]
        elif ch.isdigit():
            k, code, vk = ch, f"Digit{ch}", ord(ch)
        elif ch in _SHIFTED:
            base = _SHIFTED[ch]
            code, vk = (f"Digit{base}", ord(base)) if base.isdigit() else _PUNCT_CODES[base]
            k = ch
            modifiers |= MODIFIER_BITS["shift"]
        elif ch in _PUNCT_CODES:
            code, vk = _PUNCT_CODES[ch]
            k = ch
        else:
            k, code, vk = ch, "", 0
        text = ch
    else:
        raise ValueError(f"unknown key {key!r}")
    if modifiers & (MODIFIER_BITS["ctrl"] | MODIFIER_BITS["alt"] | MODIFIER_BITS["meta"]):
        text = ""
    params: dict[str, Any] = {
        "key": k,
        "code": code,
        "windowsVirtualKeyCode": vk,
        "nativeVirtualKeyCode": vk,
        "modifiers": modifiers,
    }
    if text:
        params["text"] = text
        params["unmodifiedText"] = text
    return params, bool(text)


#: DevTools errors that only mean "the page is being replaced": retried by wait_for.
_NAVIGATING = ("Inspected target navigated or closed", "Cannot find context with specified id",
               "Execution context was destroyed")


class Page:
    """A DevTools session on one page target."""

    def __init__(self, session: aiohttp.ClientSession, ws: aiohttp.ClientWebSocketResponse[bool]) -> None:
        self._session = session
        self._ws = ws
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future] = {}
        self.events: list[dict[str, Any]] = []
        self._reader = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        try:
            async for msg in self._ws:
                if msg.type != aiohttp.WSMsgType.TEXT:
                    continue
                data = json.loads(msg.data)
                future = self._pending.pop(data.get("id", -1), None)
                if future is not None:
                    if not future.done():
                        future.set_result(data)
                elif "method" in data:
                    self.events.append(data)
        finally:
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(CDPError("the browser closed the DevTools connection"))
            self._pending.clear()

    async def send(self, method: str, timeout: float = 15.0, **params: Any) -> dict[str, Any]:
        """Send one command and return its ``result``; raises CDPError on an error reply."""
        if self._ws.closed:
            raise CDPError("the DevTools connection is closed")
        msg_id = next(self._ids)
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        self._pending[msg_id] = future
        await self._ws.send_str(json.dumps({"id": msg_id, "method": method, "params": params}))
        try:
            reply = await asyncio.wait_for(future, timeout)
        except asyncio.TimeoutError:
            self._pending.pop(msg_id, None)
            raise CDPError(f"{method}: no answer from the browser in {timeout} s") from None
        if "error" in reply:
            raise CDPError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    async def evaluate(self, expression: str, timeout: float = 15.0) -> Any:
        """Run JavaScript in the page and return its (JSON) value."""
        result = await self.send(
            "Runtime.evaluate",
            timeout=timeout,
            expression=expression,
            returnByValue=True,
            awaitPromise=True,
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise CDPError(f"JavaScript error: {text}")
        return result.get("result", {}).get("value")

    async def wait_for(self, expression: str, timeout: float = 20.0, interval: float = 0.1) -> Any:
        """Poll ``expression`` until it is truthy; return its value."""
        deadline = time.monotonic() + timeout
        value = None
        while time.monotonic() < deadline:
            try:
                value = await self.evaluate(expression)
            except CDPError as exc:
                # While the page reloads or navigates, the old page's context
                # goes away under a running evaluate: ask the new page again.
                if not any(text in str(exc) for text in _NAVIGATING):
                    raise
                await asyncio.sleep(interval)
                continue
            if value:
                return value
            await asyncio.sleep(interval)
        raise CDPError(f"timed out after {timeout} s waiting for: {expression} (last value {value!r})")

    async def press(self, *keys: str, delay: float = 0.05) -> None:
        """Press keys, Textual-style names (``"a"``, ``"enter"``, ``"ctrl+s"``)."""
        for key in keys:
            params, has_text = key_event_params(key)
            await self.send("Input.dispatchKeyEvent", type="keyDown" if has_text else "rawKeyDown", **params)
            await self.send("Input.dispatchKeyEvent", type="keyUp", **params)
            if delay:
                await asyncio.sleep(delay)

    async def type_text(self, text: str, delay: float = 0.02) -> None:
        """Type ``text`` (printable characters) as key presses."""
        await self.press(*text, delay=delay)

    async def mouse(self, kind: str, x: float, y: float, *, button: str = "left", buttons: int = 0,
                    click_count: int = 0) -> None:
        """One Input.dispatchMouseEvent (kind: mousePressed, mouseMoved, mouseReleased)."""
        await self.send(
            "Input.dispatchMouseEvent",
            type=kind, x=x, y=y, button=button, buttons=buttons, clickCount=click_count,
        )

    async def drag(self, start: tuple[float, float], end: tuple[float, float], steps: int = 8,
                   pause: float = 0.05) -> None:
        """Press the left button at ``start``, move in ``steps`` to ``end``, release."""
        x0, y0 = start
        x1, y1 = end
        await self.mouse("mouseMoved", x0, y0, button="none")
        await asyncio.sleep(pause)
        await self.mouse("mousePressed", x0, y0, buttons=1, click_count=1)
        await asyncio.sleep(pause)
        for i in range(1, steps + 1):
            t = i / steps
            await self.mouse("mouseMoved", x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, buttons=1)
            await asyncio.sleep(pause)
        await self.mouse("mouseReleased", x1, y1, buttons=0, click_count=1)

    async def screenshot(self, path: str | Path) -> Path:
        """Save a PNG of the page."""
        result = await self.send("Page.captureScreenshot", format="png")
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(result["data"]))
        return path

    async def close(self) -> None:
        try:
            await self._ws.close()
        finally:
            self._reader.cancel()
            try:
                await self._reader
            except (asyncio.CancelledError, Exception):
                pass
            await self._session.close()


class Browser:
    """Headless Chromium in its own process group with a throwaway profile."""

    def __init__(self, executable: str, width: int = 1280, height: int = 800) -> None:
        self.executable = executable
        self.width = width
        self.height = height
        self.port = free_port()
        self.profile = tempfile.mkdtemp(prefix="stretchtui-chromium-")
        self.log_path = Path(self.profile) / "chromium.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> Browser:
        args = [
            self.executable,
            *CHROMIUM_FLAGS,
            f"--remote-debugging-port={self.port}",
            "--remote-debugging-address=127.0.0.1",
            f"--user-data-dir={self.profile}",
            f"--window-size={self.width},{self.height}",
            "about:blank",
        ]
        log = open(self.log_path, "wb")  # noqa: SIM115 - closed by the child
        try:
            self.proc = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
            )
        finally:
            log.close()
        return self

    def log_tail(self, chars: int = 2000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    async def page(self, timeout: float = 20.0) -> Page:
        """Connect to the first page target (waiting for the browser to come up)."""
        deadline = time.monotonic() + timeout
        last_error: Exception | None = None
        session = aiohttp.ClientSession()
        try:
            while time.monotonic() < deadline:
                if self.proc is not None and self.proc.poll() is not None:
                    raise CDPError(f"chromium exited with {self.proc.returncode}:\n{self.log_tail()}")
                try:
                    async with session.get(f"http://127.0.0.1:{self.port}/json") as resp:
                        targets = await resp.json(content_type=None)
                    pages = [t for t in targets if t.get("type") == "page" and t.get("webSocketDebuggerUrl")]
                    if pages:
                        ws = await session.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0)
                        return Page(session, ws)
                except (aiohttp.ClientError, OSError, ValueError) as exc:
                    last_error = exc
                await asyncio.sleep(0.1)
        except BaseException:
            await session.close()
            raise
        await session.close()
        raise CDPError(f"no DevTools page target within {timeout} s ({last_error}):\n{self.log_tail()}")

    def kill(self) -> None:
        kill_group(self.proc)
        shutil.rmtree(self.profile, ignore_errors=True)
