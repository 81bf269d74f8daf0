"""Safe Markdown → HTML for the controllers' written analyses (`analys_` texts).

A text comes from a file anyone with inbox access can write, and the report is opened in a
browser, so nothing in it may become markup the controller did not mean: markdown-it-py's
CommonMark renderer with raw HTML switched off (`<script>` is shown as text, escaped), links
only to http(s) and mailto (markdown-it's own `validateLink` already refuses `javascript:`,
`vbscript:`, `file:` and `data:` other than images; we also drop images, which a report must not
fetch from elsewhere), and tables and strikethrough on, which controllers use in Word.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt

# The schemes a link may have; anything else is rendered as plain text.
_SAFE_SCHEMES = ("http://", "https://", "mailto:")


def _validate_link(url: str) -> bool:
    lowered = url.strip().lower()
    # A relative link or a fragment would point into the report's folder: plain text instead.
    return lowered.startswith(_SAFE_SCHEMES)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.disable(["image"])
    md.validateLink = _validate_link
    return md


def markdown_to_html(text: str | None) -> str:
    """The text as an HTML fragment; raw HTML in it is escaped, never passed through.

    None or an empty text gives "" (the report says the analysis is missing, not this module).
    """
    if text is None or not text.strip():
        return ""
    html = _parser().render(text)
    # Links leave the report in a new tab and carry no referrer (the report is an internal
    # document).
    return html.replace("<a href=", '<a rel="noopener noreferrer" target="_blank" href=')
