"""Form helpers that know nothing about our domain."""

from __future__ import annotations

from typing import Any

from django import forms

from arbo.lib.text import clean_text


def _cleaning(to_python: Any, *, multiline: bool) -> Any:
    def wrapped(value: Any) -> Any:
        result = to_python(value)
        return clean_text(result, multiline=multiline) if isinstance(result, str) else result

    return wrapped


class CleanTextMixin:
    """Every text field of the form passes through :func:`arbo.lib.text.clean_text` first.

    NFC, no NUL, control or invisible format characters: before the field's own validators and
    ``clean_<field>`` methods run, so they judge the value that will be stored. Passwords are left
    alone; textareas keep their line breaks.
    """

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput):
                multiline = isinstance(field.widget, forms.Textarea)
                field.to_python = _cleaning(field.to_python, multiline=multiline)  # type: ignore[method-assign]
