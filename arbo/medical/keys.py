"""Envelope encryption for category C: one data key per employee, wrapped by a master key.

``MEDICAL_MASTER_KEYS`` lists ``keyid:base64key`` items; the first wraps new data keys, all unwrap,
and :func:`rewrap_all` moves every data key to the first master key (rotation). The employee id is
bound in as associated data, so a wrapped key or a ciphertext moved to another person does not
decrypt.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from arbo.lib.envelope import masters as _masters
from arbo.lib.envelope import open_sealed as _open
from arbo.lib.envelope import seal as _seal
from arbo.medical.models import DataKey
from arbo.registry.models import Employee


class MedicalDataUnavailable(Exception):
    """The person's data key was destroyed (or its master key is gone): the data is unreadable."""


def _aad(employee_id: int) -> bytes:
    return f"medical:employee:{employee_id}".encode()


def _data_key(employee: Employee, *, create: bool) -> AESGCM:
    primary, masters = _masters(settings.MEDICAL_MASTER_KEYS)
    key = DataKey.objects.filter(employee=employee).first()
    if key is None:
        if not create:
            raise MedicalDataUnavailable
        raw = AESGCM.generate_key(bit_length=256)
        try:
            with transaction.atomic():
                DataKey.objects.create(
                    employee=employee,
                    master_key_id=primary,
                    wrapped_key=_seal(masters[primary], raw, _aad(employee.pk)),
                )
            return AESGCM(raw)
        except IntegrityError:
            # Another transaction made this person's first key at the same moment: use theirs.
            key = DataKey.objects.get(employee=employee)
    if not key.wrapped_key or key.master_key_id not in masters:
        raise MedicalDataUnavailable
    if create and key.last_changed != timezone.localdate():
        # A write to the medical file: its retention term (arbo.retention) runs from today.
        DataKey.objects.filter(pk=key.pk).update(last_changed=timezone.localdate())
    return AESGCM(_open(masters[key.master_key_id], key.wrapped_key, _aad(employee.pk)))


def encrypt_for(employee: Employee, plaintext: str) -> str:
    return _seal(_data_key(employee, create=True), plaintext.encode(), _aad(employee.pk))


def decrypt_for(employee: Employee, token: str) -> str:
    try:
        return _open(_data_key(employee, create=False), token, _aad(employee.pk)).decode()
    except InvalidTag as exc:
        raise MedicalDataUnavailable from exc


def seal(employee: Employee, plaintext: str) -> str:
    """:func:`encrypt_for`, except that an empty text stays empty (an optional field left blank)."""
    return encrypt_for(employee, plaintext) if plaintext else ""


class Opener:
    """Decrypts many values of one person with one key lookup (a page lists several records).

    A destroyed key (or a ciphertext that does not belong to the person) yields ``None`` for every
    non-empty value: the caller shows "no longer readable" instead of failing the page.
    """

    def __init__(self, employee: Employee) -> None:
        self.employee_id = employee.pk
        try:
            self._key: AESGCM | None = _data_key(employee, create=False)
        except MedicalDataUnavailable:
            self._key = None

    @property
    def shredded(self) -> bool:
        return self._key is None

    def text(self, token: str) -> str | None:
        if not token:
            return ""
        if self._key is None:
            return None
        try:
            return _open(self._key, token, _aad(self.employee_id)).decode()
        except InvalidTag:
            return None

    def file(self, blob: bytes) -> bytes | None:
        if self._key is None:
            return None
        raw = bytes(blob)
        try:
            return self._key.decrypt(raw[:12], raw[12:], _file_aad(self.employee_id))
        except InvalidTag:
            return None


def _file_aad(employee_id: int) -> bytes:
    return f"medical:employee:{employee_id}:file".encode()


def encrypt_file_for(employee: Employee, content: bytes) -> bytes:
    """A file sealed with the person's data key: ``nonce(12) || ciphertext || tag`` as raw bytes."""
    nonce = os.urandom(12)
    return nonce + _data_key(employee, create=True).encrypt(nonce, content, _file_aad(employee.pk))


@transaction.atomic
def destroy_data_key(employee: Employee) -> None:
    """Crypto-shred: without the data key no copy of this person's medical data can be read.

    That covers every ``*_encrypted`` column of :mod:`arbo.medical.models` (consultation reasons,
    notes and their codes, advice and the employee's response, letters and their files,
    information consents and requests, the FML), in the database and in every backup.
    """
    DataKey.objects.filter(employee=employee).update(wrapped_key="", destroyed_at=timezone.now())


def current_master_key_id() -> str:
    return _masters(settings.MEDICAL_MASTER_KEYS)[0]


@transaction.atomic
def rewrap_all() -> int:
    """Re-wrap every live data key under the first (current) master key. Returns how many moved."""
    primary, masters = _masters(settings.MEDICAL_MASTER_KEYS)
    moved = 0
    for key in DataKey.objects.select_for_update().exclude(wrapped_key="").exclude(master_key_id=primary):
        raw = _open(masters[key.master_key_id], key.wrapped_key, _aad(key.employee_id))
        key.wrapped_key, key.master_key_id = _seal(masters[primary], raw, _aad(key.employee_id)), primary
        key.save(update_fields=["wrapped_key", "master_key_id"])
        moved += 1
    return moved
