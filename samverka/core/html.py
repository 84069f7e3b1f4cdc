"""HTML built in Python on the busiest pages (list rows, filter selects).

`format_html` handles lazy strings and SafeData through several wrappers per value; on a list of 25 rows and a
form of selects that cost more than the page's queries. These helpers escape exactly as Django's `escape` does
(the standard library's html.escape: & < > " ') and leave marking the joined result safe to the caller.
"""

from html import escape


def esc(value: object) -> str:
    """`value` as text escaped for an HTML element or a quoted attribute."""
    text = value if type(value) is str else str(value)
    # Most values (names, numbers, dates) hold none of the five characters: they are returned as they are.
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return escape(text, quote=True)
    return text


def options_html(choices, selected: str | None) -> str:
    """<option> elements for (value, label) pairs, the first whose value equals `selected` marked selected
    (none when `selected` is None)."""
    parts = []
    chosen = False
    for value, label in choices:
        value = "" if value is None else str(value)
        mark = ""
        if not chosen and value == selected:
            mark, chosen = " selected", True
        parts.append(f'<option value="{esc(value)}"{mark}>{esc(label)}</option>')
    return "\n  ".join(parts)
