"""A headless Chromium driven over the DevTools protocol (a pipe, no extra package): real mouse clicks and
key presses reach a page the way a reader's would, and scripts read back what the page shows."""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
KEYS = {
    " ": ("Space", 32),
    "ArrowLeft": ("ArrowLeft", 37),
    "ArrowRight": ("ArrowRight", 39),
    "ArrowUp": ("ArrowUp", 38),
    "ArrowDown": ("ArrowDown", 40),
    "PageUp": ("PageUp", 33),
    "PageDown": ("PageDown", 34),
    "Escape": ("Escape", 27),
    "Tab": ("Tab", 9),
    "Home": ("Home", 36),
    "End": ("End", 35),
}


class Browser:
    """One Chromium process; ``open`` gives a :class:`Page`. Use as a context manager."""

    def __init__(self, profile: Path, timeout: float = 30.0):
        commands_read, commands_write = os.pipe()
        replies_read, replies_write = os.pipe()
        flags = [
            "--headless",
            "--remote-debugging-pipe",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
        ]
        # Chromium reads commands on fd 3 and writes replies on fd 4.
        script = f'exec "$0" "$@" 3<&{commands_read} 4>&{replies_write}'
        self.process = subprocess.Popen(
            ["bash", "-c", script, CHROMIUM, *flags],
            pass_fds=(commands_read, replies_write),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(commands_read)
        os.close(replies_write)
        self._commands, self._replies = commands_write, replies_read
        self._buffer = b""
        self._last_id = 0
        self.timeout = timeout

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def send(self, method: str, session: str | None = None, **params) -> dict:
        """Send one command and return its result (events in between are dropped)."""
        self._last_id += 1
        message = {"id": self._last_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._last_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._replies], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self._replies, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def open(
        self, url: str, *, width: int = 900, height: int = 600, reduced_motion: bool = False, first: str = ""
    ) -> Page:
        """A new tab of ``width`` x ``height`` CSS pixels at ``url``; ``first`` is script that runs in the
        page before any of its own (to watch what the page does as it happens)."""
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        page = Page(self, session, target)
        page.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        if reduced_motion:
            page.send(
                "Emulation.setEmulatedMedia", features=[{"name": "prefers-reduced-motion", "value": "reduce"}]
            )
        if first:
            page.send("Page.enable")  # without it the script is not kept for the navigation
            page.send("Page.addScriptToEvaluateOnNewDocument", source=first)
        page.send("Page.navigate", url=url)
        return page

    def frame(self, url_end: str, parent: Page | None = None, timeout: float = 10.0) -> Page:
        """The page inside an iframe (of the tab ``parent``, if given) whose URL ends with ``url_end``: an
        iframe of another origin (a sandboxed player) runs in a process of its own, a target of its own;
        clicks and keys still go to the top page."""
        deadline = time.monotonic() + timeout
        while True:
            targets = self.send("Target.getTargets")["targetInfos"]
            found = [
                t
                for t in targets
                if t["type"] == "iframe"
                and t["url"].endswith(url_end)
                and (parent is None or t.get("parentId") == parent.target)
            ]
            if found:
                session = self.send("Target.attachToTarget", targetId=found[0]["targetId"], flatten=True)
                return Page(self, session["sessionId"])
            if time.monotonic() > deadline:
                raise TimeoutError(f"no iframe at {url_end} after {timeout} s")
            time.sleep(0.05)

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (OSError, RuntimeError, TimeoutError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._commands)
        os.close(self._replies)


class Page:
    """One tab: evaluate script, wait for a condition, click, press keys, take a screenshot."""

    def __init__(self, browser: Browser, session: str, target: str = ""):
        self.browser, self.session, self.target = browser, session, target

    def close(self) -> None:
        """Close the tab (its iframes' targets go with it)."""
        self.browser.send("Target.closeTarget", targetId=self.target)

    def send(self, method: str, **params) -> dict:
        return self.browser.send(method, self.session, **params)

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 10.0):
        """Poll ``expression`` until it is truthy; return its value."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                value = self.evaluate(expression)
            except RuntimeError:
                value = None  # the page is still loading
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"still false after {timeout} s: {expression}")
            time.sleep(0.05)

    def centre(self, selector: str, fraction: float = 0.5) -> tuple[float, float]:
        """A point in the element's box: ``fraction`` of the way across, half-way down."""
        box = self.evaluate(
            f"(function(){{var r=document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
            "return [r.left, r.top, r.width, r.height];})()"
        )
        return box[0] + box[2] * fraction, box[1] + box[3] / 2

    def click(self, x: float, y: float) -> None:
        self.send("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def press(self, key: str) -> None:
        code, number = KEYS[key]
        common = {"key": key, "code": code, "windowsVirtualKeyCode": number, "nativeVirtualKeyCode": number}
        self.send("Input.dispatchKeyEvent", type="keyDown", text=key if key == " " else "", **common)
        self.send("Input.dispatchKeyEvent", type="keyUp", **common)

    def screenshot(self, path: Path) -> Path:
        data = self.send("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))
        return path
