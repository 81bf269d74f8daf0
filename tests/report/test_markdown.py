"""The analysis texts' Markdown renderer never lets markup through that the text did not mean."""

from __future__ import annotations

import time

from pipelines.lib.report.markdown import markdown_to_html


def test_markdown_becomes_html():
    html = markdown_to_html(
        "## Ekonomi\n\nUnderskottet beror på **placeringar**:\n\n- HVB\n- LSS\n"
    )
    assert html == (
        "<h2>Ekonomi</h2>\n<p>Underskottet beror på <strong>placeringar</strong>:</p>\n"
        "<ul>\n<li>HVB</li>\n<li>LSS</li>\n</ul>\n"
    )


def test_a_script_tag_is_escaped_not_run():
    html = markdown_to_html('Text <script>alert("x")</script> och <b onclick="y()">fet</b>')
    assert "<script" not in html
    assert "<b " not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;b onclick=&quot;y()&quot;&gt;fet&lt;/b&gt;" in html


def test_a_block_of_raw_html_is_escaped():
    html = markdown_to_html('<div style="x">\n<iframe src="https://evil"></iframe>\n</div>')
    assert "<div" not in html and "<iframe" not in html
    assert "&lt;iframe" in html


def test_only_web_and_mail_links_become_links():
    html = markdown_to_html(
        "[a](https://www.jonkoping.se) [b](javascript:alert(1)) [c](data:text/html,x) "
        "[d](mailto:ekonomi@kommun.se) [e](../../warehouse/styrhjul.duckdb)"
    )
    assert html.count("<a ") == 2
    assert 'href="https://www.jonkoping.se"' in html
    assert 'href="mailto:ekonomi@kommun.se"' in html
    assert "javascript:" not in html.replace("[b](javascript:alert(1))", "")
    assert 'rel="noopener noreferrer"' in html


def test_images_are_not_fetched():
    html = markdown_to_html("![spårare](https://example.org/pixel.png)")
    assert "<img" not in html


def test_tables_render():
    html = markdown_to_html("| Post | mnkr |\n|---|---:|\n| HVB | -12,4 |\n")
    assert "<table>" in html and '<td style="text-align:right">-12,4</td>' in html


def test_empty_text_gives_nothing():
    assert markdown_to_html(None) == ""
    assert markdown_to_html("  \n ") == ""


def test_a_very_long_text_renders_whole_and_fast():
    """The intake's upper limit (kinds.ANALYS_MAX_TECKEN) of text in pathological shapes:
    deep nesting and long runs of emphasis markers must neither blow up nor take long."""
    from pipelines.lib.intake.kinds import ANALYS_MAX_TECKEN

    paragraph = "Nettokostnaden ökar med 3,4 procent. " * 40 + "\n\n"
    long_text = (paragraph * (ANALYS_MAX_TECKEN // len(paragraph) + 1))[:ANALYS_MAX_TECKEN]
    nested = ">" * 5000 + " djup"
    stars = "*" * ANALYS_MAX_TECKEN
    for text in (long_text, nested, stars):
        start = time.perf_counter()
        html = markdown_to_html(text)
        assert time.perf_counter() - start < 5
        assert html
    assert markdown_to_html(long_text).count("<p>") == long_text.count("\n\n") + (
        0 if long_text.endswith("\n\n") else 1
    )
