"""Subject records: everything the arbodienst holds about one person, app by app.

The right of access (AVG art. 15, WGBO 7:456), portability (art. 20) and the disclosure packages
are built from one shape, :class:`SubjectRecord`. Each app that holds personal data provides, in
its own ``queries`` module::

    def subject_records(employee, *, reader) -> list[SubjectRecord]

which reads through the app's own read path, audits the read, and returns every record the app
holds about that person. ``reader`` is the user the records are read for; ``None`` means *for the
data subject* (the access package: every category, medical content decrypted). Whoever else reads
gets only the categories they may read (``arbo.access.subjects.subject_categories``).

:func:`sources` discovers the providers (every installed ``arbo`` app whose ``queries`` module has
``subject_records``): a new app joins the package by adding the function, nothing else.
:func:`record_from_row` turns one model row into a record from the app's
``PERSONAL_DATA_CATEGORIES`` classification, so a new field reaches the package without code.

This module knows nothing of the domain (``arbo.lib``): apps hand it their rows and decrypter.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _

#: Sensitivity order: a record that mixes categories carries its most sensitive one.
_SENSITIVITY = {"D": 0, "A": 1, "B": 2, "C": 3}

#: Shown for a sealed value that no longer decrypts (crypto-shredded).
UNREADABLE = "[niet meer leesbaar]"


@dataclass(frozen=True)
class SubjectFile:
    """An uploaded file of the person (``content`` ``None``: no longer readable)."""

    name: str
    content_type: str
    content: bytes | None


@dataclass(frozen=True)
class SubjectRecord:
    """One record about the person: ``fields`` are labels → readable values."""

    source: str
    kind: str
    category: str
    pk: int
    created: dt.datetime | dt.date | None
    title: str
    fields: dict[str, str]
    files: list[SubjectFile] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The JSON form (docs/privacy.md, "The access package"): files as name and type only."""
        return {
            "source": self.source,
            "kind": self.kind,
            "category": self.category,
            "id": self.pk,
            "created": self.created.isoformat() if self.created else None,
            "title": self.title,
            "fields": dict(self.fields),
            "files": [{"name": f.name, "content_type": f.content_type} for f in self.files],
        }


Provider = Callable[..., list[SubjectRecord]]


def sources() -> dict[str, Provider]:
    """``app label → subject_records`` of every installed ``arbo`` app that provides one."""
    return _providers("subject_records")


def applicant_sources() -> dict[str, Provider]:
    """``app label → applicant_records`` of every installed ``arbo`` app that holds data about
    applicants (``registry.Applicant``): the same shape, for a person who is not an employee::

        def applicant_records(applicant, *, reader) -> list[SubjectRecord]
    """
    return _providers("applicant_records")


def _providers(name: str) -> dict[str, Provider]:
    """``app label → <name>`` of every installed ``arbo`` app whose ``queries`` module defines it."""
    found: dict[str, Provider] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("arbo."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.queries")
        except ModuleNotFoundError:
            continue
        provider = getattr(module, name, None)
        if callable(provider):
            found[config.label] = provider
    return found


def most_sensitive(categories: Iterable[str]) -> str:
    return max(categories, key=lambda c: _SENSITIVITY.get(c, 0), default="D")


def readable(value: Any) -> str:
    """A stored value as the person reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, (dt.date, Decimal, int, float)):
        return str(value)
    return str(value)


#: How the person reads a column whose verbose name is only its name, in every app's package
#: (an app's ``SUBJECT_FIELD_LABELS`` entry for the row comes first). tests/privacy/test_rights_package.py
#: fails on a field that reaches the package without a label.
COMMON_FIELD_LABELS: dict[str, Any] = {
    "employee": _("werknemer"),
    "employer": _("werkgever"),
    "applicant": _("sollicitant"),
    "author": _("geschreven door"),
    "department": _("afdeling"),
    "status": _("status"),
    "batch": _("importbestand"),
    "number": _("nummer"),
    "portal_user": _("portaalaccount"),
    "practitioner": _("behandelaar"),
    "case": _("verzuimgeval"),
    "casemanager": _("casemanager"),
    "closed_at": _("afgesloten op"),
    "created_at": _("aangemaakt op"),
    "created_by": _("aangemaakt door"),
    "reported_at": _("gemeld op"),
    "reported_by": _("gemeld door"),
    "withdrawn_at": _("ingetrokken op"),
    "withdrawn_by": _("ingetrokken door"),
    "recorded_at": _("vastgelegd op"),
    "recorded_by": _("vastgelegd door"),
    "report_type": _("soort melding"),
    "report_id": _("nummer van de melding"),
    "changed_at": _("gewijzigd op"),
    "changed_by": _("gewijzigd door"),
    "sequence": _("volgnummer"),
    "done_by": _("gedaan door"),
    "document": _("document"),
    "not_applicable": _("niet van toepassing"),
    "milestone": _("mijlpaal"),
    "raised_on": _("gesignaleerd op"),
    "raised_at": _("gesignaleerd op"),
    "employee_seen_at": _("door werknemer gezien op"),
    "released_to_employer_at": _("aan werkgever vrijgegeven op"),
    "finalised_at": _("definitief gemaakt op"),
    "finalised_by": _("definitief gemaakt door"),
    "doctor": _("bedrijfsarts"),
    "recipient": _("ontvanger"),
    "form_content_type": _("soort formulierbestand"),
    "category": _("categorie"),
    "categories": _("categorieën"),
    "composed_by": _("opgesteld door"),
    "consent": _("toestemming"),
    "content_encrypted": _("inhoud"),
    "content": _("inhoud"),
    "content_type": _("bestandstype"),
    "delivery": _("verzending"),
    "expires_at": _("verloopt op"),
    "code_used_at": _("code gebruikt op"),
    "failed_attempts": _("mislukte pogingen"),
    "visiting_doctor": _("visiterende arts"),
    "visited_doctor": _("gevisiteerde arts"),
    "opened_by": _("geopend door"),
    "starts_at": _("begint op"),
    "ends_at": _("eindigt op"),
    "sample": _("steekproef"),
    "objected_at": _("bezwaar gemaakt op"),
    "assessed_at": _("beoordeeld op"),
    "assessed_by": _("beoordeeld door"),
    "reviewed_at": _("beoordeeld op"),
    "reviewed_by": _("beoordeeld door"),
    "decided_at": _("besloten op"),
    "decided_by": _("besloten door"),
    "decided_on": _("besloten op"),
    "letters_sent_at": _("brieven verstuurd op"),
    "letter_sent_at": _("brief verstuurd op"),
    "letter_posted_by": _("brief verstuurd door"),
    "breach": _("datalek"),
    "data_categories": _("soorten gegevens"),
    "added_at": _("toegevoegd op"),
    "kind": _("soort"),
    "user": _("gebruiker"),
    "processor": _("verwerker"),
    "engineer": _("supportmedewerker"),
    "ticket": _("ticket"),
    "granted_at": _("toegekend op"),
    "granted_by": _("toegekend door"),
    "revoked_at": _("ingetrokken op"),
    "withheld": _("achtergehouden"),
    "registered_by": _("geregistreerd door"),
    "identity_verified_by": _("identiteit gecontroleerd door"),
    "erasure_report": _("verslag van de verwijdering"),
    "download_expires_at": _("downloadlink geldig tot"),
    "request": _("verzoek"),
    "uploaded_at": _("geüpload op"),
    "started_at": _("begonnen op"),
    "started_by": _("begonnen door"),
    "lifted_at": _("opgeheven op"),
    "lifted_by": _("opgeheven door"),
    "placed_at": _("geplaatst op"),
    "placed_by": _("geplaatst door"),
    "due_on": _("uiterste datum"),
    "activity": _("verwerkingsactiviteit"),
    "reason": _("reden"),
    "changes": _("wijzigingen"),
    "channel": _("kanaal"),
    "acknowledged_on": _("ontvangst bevestigd op"),
    "extended_on": _("verlengd op"),
    "complaint": _("klacht"),
    "source": _("bron"),
    "language": _("taal"),
    "sent_at": _("verzonden op"),
    "read_at": _("gelezen op"),
    "destroyed_at": _("vernietigd op"),
    "tussenvoegsel": _("tussenvoegsel"),
    "postcode": _("postcode"),
}


def record_from_row(
    source: str,
    row: models.Model,
    *,
    classification: Mapping[str, str],
    categories: frozenset[str],
    open_text: Callable[[str], str | None] | None = None,
    open_file: Callable[[bytes], bytes | None] | None = None,
    title: str = "",
    created: dt.datetime | dt.date | None = None,
    skip: Iterable[str] = (),
    row_category: str = "",
    labels: Mapping[str, Any] | None = None,
) -> SubjectRecord | None:
    """One row as a record, with only the fields of ``categories`` (``None`` when none remain).

    ``classification`` is the row's entry of ``PERSONAL_DATA_CATEGORIES`` (``row``: the row's own
    ``row_category``). Fields named ``*_encrypted`` are sealed with the person's data key and read
    through ``open_text`` (binary ones through ``open_file``, as files); without a decrypter they
    are left out. Foreign keys read as their ``str()``; choices as their label. A field is named
    by ``labels`` (the app's ``SUBJECT_FIELD_LABELS`` entry for the row), else its verbose name.
    """
    labels = labels or {}
    meta = row._meta
    skipped = set(skip)
    values: dict[str, str] = {}
    files: list[SubjectFile] = []
    seen: set[str] = set()
    for name, classified in classification.items():
        category = row_category if classified == "row" else classified
        if name in skipped or category not in categories:
            continue
        model_field = meta.get_field(name)
        label = str(labels.get(name) or _verbose_name(model_field, name))
        if isinstance(model_field, models.BinaryField):
            if open_file is None:
                continue
            content = open_file(getattr(row, name))
            files.append(SubjectFile(f"{meta.model_name}-{row.pk}", "application/octet-stream", content))
            seen.add(category)
            continue
        if name.endswith("_encrypted"):
            if open_text is None:
                continue
            opened = open_text(getattr(row, name))
            text = UNREADABLE if opened is None else opened
            if name not in labels:
                label = label.removesuffix("_encrypted").removesuffix(" encrypted").replace("_", " ")
        elif isinstance(model_field, models.ForeignKey):
            text = readable(getattr(row, name))
        elif getattr(model_field, "choices", None):
            text = str(getattr(row, f"get_{name}_display")())
        else:
            text = readable(getattr(row, name))
        values[label] = text
        seen.add(category)
    if not values and not files:
        return None
    return SubjectRecord(
        source=source,
        kind=meta.label_lower,
        category=row_category or most_sensitive(seen),
        pk=int(row.pk),
        created=created,
        title=title or str(meta.verbose_name),
        fields=values,
        files=files,
    )


def _verbose_name(model_field: Any, name: str) -> Any:
    """The field's own verbose name if it was given one, else the common label, else the name."""
    verbose = getattr(model_field, "verbose_name", None)
    if verbose is not None and str(verbose) != name.replace("_", " "):
        return verbose
    return COMMON_FIELD_LABELS.get(name, verbose or name)
