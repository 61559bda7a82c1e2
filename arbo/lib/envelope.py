"""Envelope sealing: master keys that wrap per-person data keys, and AES-256-GCM with associated data.

The medical file (:mod:`arbo.medical.keys`, one key per employee) and prevention's applicants
(:mod:`arbo.prevention.keys`, one key per applicant) both seal through these functions, with their
own associated data, so both kinds of key follow one format and one ``MEDICAL_MASTER_KEYS``.
"""

from __future__ import annotations

import base64
import os
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


@cache
def masters(spec: str) -> tuple[str, dict[str, AESGCM]]:
    keys: dict[str, AESGCM] = {}
    primary = ""
    for item in spec.split(","):
        key_id, _, encoded = item.strip().partition(":")
        raw = base64.b64decode(encoded)
        if not key_id or len(raw) != 32:
            raise ValueError("MEDICAL_MASTER_KEYS items must be 'keyid:base64(32 bytes)'")
        keys[key_id] = AESGCM(raw)
        primary = primary or key_id
    return primary, keys


def seal(aes: AESGCM, plaintext: bytes, aad: bytes) -> str:
    nonce = os.urandom(12)
    return base64.b64encode(nonce + aes.encrypt(nonce, plaintext, aad)).decode()


def open_sealed(aes: AESGCM, token: str, aad: bytes) -> bytes:
    raw = base64.b64decode(token)
    return aes.decrypt(raw[:12], raw[12:], aad)
