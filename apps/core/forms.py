"""Form helpers shared by every app."""

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError


class StyledFormMixin:
    """Give widgets Tabler's classes, and mark invalid fields so they show red."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()
        self._mark_invalid()

    def add_error(self, field: str | None, error: object) -> None:
        super().add_error(field, error)
        self._mark_invalid()

    def add_service_errors(
        self, exc: ValidationError, rename: Callable[[str], str] | None = None
    ) -> None:
        """Show a service's ValidationError: each message beside its field, others on top.

        `rename` maps a service's field name to the form's (e.g. "metrics.f1.low" → "f1__low").
        """
        for field, errors in exc.message_dict.items():
            name = rename(field) if rename else field
            self.add_error(name if name in self.fields else None, errors)

    def _mark_invalid(self) -> None:
        for name in getattr(self, "_errors", None) or {}:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
