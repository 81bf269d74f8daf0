"""Helpers for the tests that look at the report as a reader does: the system's Chromium
(never a browser a library downloads), run offline, and a small PNG reader for its screenshots
(Pillow is no dependency of the project)."""

from __future__ import annotations

import html
import json
import re
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

import pytest

# One place for the binary's names and the offline flags (headless, no sandbox, nothing in the
# background, every host name unresolvable): the report's PDF uses them too.
from pipelines.lib.report.pdf import FLAGS, TIMEOUT_S, find_chromium


def chromium_or_fail() -> str:
    """A missing browser fails the test, never skips it: `make test` installs it where it can."""
    chromium = find_chromium()
    if chromium is None:
        pytest.fail(
            "Chromium saknas: rapporten måste provas i en riktig webbläsare "
            "(apt-get install chromium, eller STYRHJUL_CHROMIUM=<sökväg>)"
        )
    return chromium


def run_chromium(chromium: str, args: list[str]) -> subprocess.CompletedProcess:
    """Chromium with the offline flags, a fresh profile and `args`; its log in stderr."""
    with tempfile.TemporaryDirectory(prefix="styrhjul-chromium-") as profile:
        return subprocess.run(
            [chromium, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )


def measure(chromium: str, page: str, script: str, path: Path) -> dict:
    """What `script` (a <script> that writes JSON into <pre id="matning">) measured in the HTML
    `page`, written to `path` and rendered offline at 1280 px; the test fails when Chromium
    fails, the script did not run, or Chromium's log shows a console error or any URL other
    than the file itself."""
    path.write_text(page.replace("</body>", script + "</body>"), encoding="utf-8")
    result = run_chromium(
        chromium,
        [
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1280,2000",
            "--virtual-time-budget=5000",
            "--dump-dom",
            path.as_uri(),
        ],
    )
    assert result.returncode == 0, result.stderr[-2000:]
    found = re.search(r'<pre id="matning">(.*?)</pre>', result.stdout, re.S)
    assert found, "mätskriptet körde inte"
    log = result.stderr
    assert not re.search(r"CONSOLE.*(?:error|Uncaught)", log, re.I), log[-2000:]
    assert not re.search(r"https?://", log), log[-2000:]
    return json.loads(html.unescape(found.group(1)))


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB(A) bytes) of an 8-bit RGB or RGBA PNG, unfiltered."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "inte en PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, *_ = header
    assert depth == 8 and colour in (2, 6), f"PNG-typ {depth}/{colour} stöds inte"
    bpp = 3 if colour == 2 else 4
    raw, stride, rows = zlib.decompress(idat), width * bpp, []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up, corner = previous[i], previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line if bpp == 3 else bytes(b for j, b in enumerate(line) if j % 4 < 3)))
        previous = line
    return width, height, rows
