"""write_pdf: manadsrapport.pdf from the HTML by the system's Chromium, never failing a refresh."""

from __future__ import annotations

import re

from pipelines.lib.report.pdf import PDF_NAME, write_pdf
from tests.report.chromium import chromium_or_fail

PAGE = """<!doctype html><html lang="sv"><head><meta charset="utf-8"><style>
@page { size: A4 landscape; margin: 12mm; }
section { break-before: page; }
</style></head><body><main>
<section><h2>Ett</h2><p>Första sidan.</p></section>
<section><h2>Två</h2><p>Andra sidan.</p></section>
</main></body></html>"""


def test_the_pdf_is_written_beside_the_html_one_page_per_section(tmp_path):
    chromium = chromium_or_fail()
    html = tmp_path / "manadsrapport.html"
    html.write_text(PAGE, encoding="utf-8")
    result = write_pdf(html, chromium)
    assert result.path == tmp_path / PDF_NAME
    assert result.message == f"Skrev {tmp_path / PDF_NAME}"
    pdf = result.path.read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/MediaBox \[0 0 84\d\.?\d* 59\d\.?\d*\]", pdf)) == 2
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file


def test_a_missing_chromium_is_a_message_not_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("STYRHJUL_CHROMIUM", str(tmp_path / "finns-inte"))
    html = tmp_path / "manadsrapport.html"
    html.write_text(PAGE, encoding="utf-8")
    result = write_pdf(html)
    assert result.path is None and not (tmp_path / PDF_NAME).exists()
    assert result.message.startswith("Ingen PDF: Chromium finns inte på datorn")


def test_a_failing_chromium_leaves_the_old_pdf_and_says_why(tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\necho trasig >&2\nexit 3\n")
    fake.chmod(0o755)
    html = tmp_path / "manadsrapport.html"
    html.write_text(PAGE, encoding="utf-8")
    (tmp_path / PDF_NAME).write_bytes(b"%PDF gammal")
    result = write_pdf(html, str(fake))
    assert result.path is None
    assert result.message == "Ingen PDF: Chromium kunde inte skriva ut rapporten (slutkod 3)."
    assert (tmp_path / PDF_NAME).read_bytes() == b"%PDF gammal"
