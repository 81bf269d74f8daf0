"""manadsrapport.pdf: the same HTML printed by the system's Chromium, headless and offline.

The PDF is a convenience beside the HTML and the Excel file, never a reason for a refresh to
fail: without Chromium, or when Chromium fails or hangs, `write_pdf` returns a Swedish message
for the run log and no file. Chromium runs with a fresh profile in a temporary folder and every
background service off (no sync, no component updates, no QUIC), so printing fetches nothing;
the HTML itself holds no URL to fetch (charts are inline SVG, styles inline).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

PDF_NAME = "manadsrapport.pdf"  # the month report's; every report's PDF is named as its HTML
# Debian names the binary chromium, others chromium-browser; STYRHJUL_CHROMIUM overrides.
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_S = 120

# Headless, no sandbox (root in a container), no GPU and nothing in the background that could
# reach the network.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",  # /dev/shm is small in containers
    "--host-resolver-rules=MAP * ~NOTFOUND",  # every host unresolvable: nothing can be fetched
)


@dataclass(frozen=True)
class PdfResult:
    path: Path | None
    message: str  # what the run log says: the file written, or why there is none


def find_chromium() -> str | None:
    """The Chromium binary: $STYRHJUL_CHROMIUM when set, else the first candidate on PATH."""
    override = os.environ.get("STYRHJUL_CHROMIUM")
    if override:
        return shutil.which(override)
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def write_pdf(html_path: Path, chromium: str | None = None) -> PdfResult:
    """Print `html_path` to the PDF of the same name beside it (manadsrapport.pdf), atomically
    (a reader never sees half a file, and a failed print leaves the previous PDF). Never raises
    for a missing, failing or hanging Chromium: the result says what happened."""
    chromium = chromium or find_chromium()
    target = html_path.with_suffix(".pdf")
    if chromium is None:
        return PdfResult(
            None,
            "Ingen PDF: Chromium finns inte på datorn (installera paketet chromium). "
            "HTML- och Excel-rapporten skrevs som vanligt.",
        )
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with tempfile.TemporaryDirectory(prefix="styrhjul-chromium-") as profile:
            result = subprocess.run(
                [
                    chromium,
                    *FLAGS,
                    f"--user-data-dir={profile}",
                    f"--print-to-pdf={tmp}",
                    "--no-pdf-header-footer",  # the page header is the report's own @page rule
                    html_path.resolve().as_uri(),
                ],
                capture_output=True,
                text=True,
                timeout=TIMEOUT_S,
                check=False,
            )
        if result.returncode != 0 or not tmp.is_file() or tmp.stat().st_size == 0:
            return PdfResult(
                None,
                "Ingen PDF: Chromium kunde inte skriva ut rapporten "
                f"(slutkod {result.returncode}).",
            )
        os.replace(tmp, target)
        return PdfResult(target, f"Skrev {target}")
    except subprocess.TimeoutExpired:
        return PdfResult(None, f"Ingen PDF: Chromium svarade inte inom {TIMEOUT_S} sekunder.")
    except OSError as exc:
        return PdfResult(None, f"Ingen PDF: Chromium kunde inte startas ({exc.strerror}).")
    finally:
        tmp.unlink(missing_ok=True)
