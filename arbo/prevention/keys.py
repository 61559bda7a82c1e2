"""Envelope encryption for applicants, and the one place prevention encrypts and decrypts.

Employees' exam results and exposure details use the medical file's data key
(:func:`arbo.medical.keys.encrypt_for`): one key per person, whatever the record. Applicants are not
employees, so each gets an :class:`ApplicantDataKey`: a random AES-256 key wrapped by the same
master keys (``MEDICAL_MASTER_KEYS``), through the same sealing functions of
:mod:`arbo.medical.keys` with the applicant bound in as associated data
(``prevention:applicant:<id>``), so a wrapped key or ciphertext moved to another person or to an
employee with the same id does not decrypt.

Rotation: :func:`rewrap_applicant_keys` (command ``rotate_prevention_keys``) moves every live
applicant key to the first master key; the employees' keys are rotated by the medical file's
``keys.rewrap_all``. Crypto-shredding: :func:`destroy_applicant_key`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from arbo.lib import envelope
from arbo.medical import keys as medical_keys
from arbo.prevention.models import ApplicantDataKey
from arbo.registry.models import Applicant, Employee

#: Raised when a person's key is destroyed (or its master key is gone): the data is unreadable.
DataUnavailable = medical_keys.MedicalDataUnavailable

# The master-key parsing and AES-GCM sealing the medical file uses too (arbo.lib.envelope), called
# with our own associated data, so both kinds of key follow one format and one MEDICAL_MASTER_KEYS.
_masters = envelope.masters
_seal = envelope.seal
_open = envelope.open_sealed


def _aad(applicant_id: int) -> bytes:
    return f"prevention:applicant:{applicant_id}".encode()


def load_applicant_keys(applicant_ids: Iterable[int]) -> dict[int, ApplicantDataKey]:
    """The stored keys of many applicants in one query, for :func:`decrypt` on a list page."""
    return {
        key.applicant_id: key for key in ApplicantDataKey.objects.filter(applicant_id__in=list(applicant_ids))
    }


def _applicant_key(
    applicant: Applicant, *, create: bool, loaded: dict[int, ApplicantDataKey] | None = None
) -> AESGCM:
    primary, masters = _masters(settings.MEDICAL_MASTER_KEYS)
    if loaded is None:
        key = ApplicantDataKey.objects.filter(applicant=applicant).first()
    else:
        key = loaded.get(applicant.pk)
    if key is None:
        if not create:
            raise DataUnavailable
        raw = AESGCM.generate_key(bit_length=256)
        ApplicantDataKey.objects.create(
            applicant=applicant,
            master_key_id=primary,
            wrapped_key=_seal(masters[primary], raw, _aad(applicant.pk)),
        )
        return AESGCM(raw)
    if not key.wrapped_key or key.master_key_id not in masters:
        raise DataUnavailable
    return AESGCM(_open(masters[key.master_key_id], key.wrapped_key, _aad(applicant.pk)))


def encrypt(person: Employee | Applicant, plaintext: str) -> str:
    """Ciphertext of ``plaintext`` under the person's own data key (created when missing)."""
    if isinstance(person, Employee):
        return medical_keys.encrypt_for(person, plaintext)
    return _seal(_applicant_key(person, create=True), plaintext.encode(), _aad(person.pk))


def decrypt(
    person: Employee | Applicant, token: str, *, loaded: dict[int, ApplicantDataKey] | None = None
) -> str:
    """The plaintext, or :class:`DataUnavailable` when the person's key is gone.

    ``loaded``: applicant keys fetched just before with :func:`load_applicant_keys` (list pages).
    """
    if isinstance(person, Employee):
        return medical_keys.decrypt_for(person, token)
    try:
        return _open(_applicant_key(person, create=False, loaded=loaded), token, _aad(person.pk)).decode()
    except InvalidTag as exc:
        raise DataUnavailable from exc


def reader(
    person: Employee | Applicant, *, loaded: dict[int, ApplicantDataKey] | None = None
) -> Callable[[str], str]:
    """A function decrypting many values of one person with one key lookup (a page lists several
    records); it gives ``""`` when the key was destroyed (pages then say it is unreadable)."""
    if isinstance(person, Employee):
        opener = medical_keys.Opener(person)
        return lambda token: opener.text(token) or ""
    try:
        key = _applicant_key(person, create=False, loaded=loaded)
    except DataUnavailable:
        return lambda token: ""
    aad = _aad(person.pk)

    def read(token: str) -> str:
        try:
            return _open(key, token, aad).decode()
        except InvalidTag:
            return ""

    return read


@transaction.atomic
def destroy_applicant_key(applicant: Applicant) -> None:
    """Crypto-shred: without the key no copy of this applicant's exam results can be read."""
    ApplicantDataKey.objects.filter(applicant=applicant).update(wrapped_key="", destroyed_at=timezone.now())


@transaction.atomic
def rewrap_applicant_keys() -> int:
    """Re-wrap every live applicant key under the first (current) master key. Returns how many moved."""
    primary, masters = _masters(settings.MEDICAL_MASTER_KEYS)
    moved = 0
    for key in (
        ApplicantDataKey.objects.select_for_update().exclude(wrapped_key="").exclude(master_key_id=primary)
    ):
        raw = _open(masters[key.master_key_id], key.wrapped_key, _aad(key.applicant_id))
        key.wrapped_key, key.master_key_id = _seal(masters[primary], raw, _aad(key.applicant_id)), primary
        key.save(update_fields=["wrapped_key", "master_key_id"])
        moved += 1
    return moved
