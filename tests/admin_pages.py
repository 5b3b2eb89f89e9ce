"""The admin's pages read as a browser reads them: which fields a form has, what it submits."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

UNSENT_INPUT_TYPES = {"submit", "button", "image", "reset", "file"}


class _FormReader(HTMLParser):
    """Reads the form with ``form_id``: what a user can edit, and the values a browser sends."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = self.found = False
        self.names: set[str] = set()
        self.values: dict[str, list[str]] = {}
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form" and attributes.get("id") == self.form_id:
            self.inside = self.found = True
        if not self.inside:
            return
        if tag == "option" and self._select is not None:
            self._options.append((attributes.get("value", ""), "selected" in attributes))
            return
        name = attributes.get("name")
        if name is None or "disabled" in attributes:
            return
        if tag == "input":
            kind = attributes.get("type", "text").lower()
            if kind in UNSENT_INPUT_TYPES:
                return
            if kind != "hidden":
                self.names.add(name)
            if kind not in ("checkbox", "radio") or "checked" in attributes:
                default = "on" if kind in ("checkbox", "radio") else ""
                self.values.setdefault(name, []).append(attributes.get("value") or default)
        elif tag == "select":
            self.names.add(name)
            self._select, self._options = (name, "multiple" in attributes), []
        elif tag == "textarea":
            self.names.add(name)
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the newline that follows <textarea>.
            text = "".join(self._text).removeprefix("\n")
            self.values.setdefault(self._textarea, []).append(text)
            self._textarea = None
        elif tag == "select" and self._select is not None:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            if chosen:
                self.values[name] = chosen
            self._select = None


def _read(page: str, form_id: str) -> _FormReader:
    reader = _FormReader(form_id)
    reader.feed(page)
    assert reader.found, f"no form {form_id!r} on the page"
    return reader


def form_values(page: str, form_id: str) -> dict[str, list[str]]:
    """What submitting the form with ``form_id`` on ``page`` unchanged would post."""
    return _read(page, form_id).values


def field_names(page: str, form_id: str) -> set[str]:
    """The names of the form's fields a user can fill in (not its hidden ones)."""
    return _read(page, form_id).names


def changelist_column(page: str, field: str) -> list[str]:
    """The cells of one column of a changelist, top to bottom, as text."""
    cells = re.findall(rf'<t[dh] class="field-{field}[^"]*">(.*?)</t[dh]>', page, re.DOTALL)
    return [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells]
