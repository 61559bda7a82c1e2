"""Field encryption with AES-256-GCM and keyed blind indexes.

Ciphertext format (bytes, stored base64 in a text column so it survives every database):
``v1:<key id>:<base64(nonce(12) || ciphertext || tag)>``. The key id names which key of
``FIELD_ENCRYPTION_KEYS`` encrypted the value, so keys can be rotated: the first key encrypts, every
listed key decrypts. The field name is bound in as associated data, so a ciphertext copied from one
column into another does not decrypt.

A blind index is HMAC-SHA256 under ``BLIND_INDEX_KEY`` of a normalised value: it allows an exact
lookup ("which employee has this BSN?") without storing the value or an unkeyed hash that could be
brute-forced over the 10^9 BSN space.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PREFIX = "v1"


class DecryptionError(Exception):
    pass


@cache
def _keys(spec: str) -> tuple[str, dict[str, AESGCM]]:
    keys: dict[str, AESGCM] = {}
    primary = ""
    for item in spec.split(","):
        key_id, _, encoded = item.strip().partition(":")
        if not key_id or not encoded:
            raise ValueError("FIELD_ENCRYPTION_KEYS items must look like 'keyid:base64key'")
        raw = base64.b64decode(encoded)
        if len(raw) != 32:
            raise ValueError(f"encryption key {key_id!r} must be 32 bytes")
        keys[key_id] = AESGCM(raw)
        primary = primary or key_id
    return primary, keys


def _current_keys() -> tuple[str, dict[str, AESGCM]]:
    return _keys(settings.FIELD_ENCRYPTION_KEYS)


def primary_key_id() -> str:
    return _current_keys()[0]


def encrypt(plaintext: str, *, context: str) -> str:
    key_id, keys = _current_keys()
    nonce = os.urandom(12)
    sealed = keys[key_id].encrypt(nonce, plaintext.encode("utf-8"), context.encode())
    return f"{PREFIX}:{key_id}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str, *, context: str) -> str:
    try:
        version, key_id, payload = token.split(":", 2)
        if version != PREFIX:
            raise DecryptionError(f"unknown ciphertext version {version!r}")
        aes = _current_keys()[1][key_id]
        raw = base64.b64decode(payload)
        return aes.decrypt(raw[:12], raw[12:], context.encode()).decode("utf-8")
    except KeyError as exc:
        raise DecryptionError("ciphertext was made with a key that is not configured") from exc
    except (ValueError, binascii.Error) as exc:
        raise DecryptionError("malformed ciphertext") from exc
    except Exception as exc:  # cryptography raises InvalidTag for a wrong key or tampered data
        raise DecryptionError("ciphertext does not authenticate") from exc


def encrypt_bytes(plaintext: bytes, *, context: str) -> bytes:
    """Binary data (an uploaded file's chunk) sealed like a field: ``v1:<key id>:`` then the raw
    nonce, ciphertext and tag, for a binary column (no base64: a 1 MiB chunk stays ~1 MiB)."""
    key_id, keys = _current_keys()
    nonce = os.urandom(12)
    sealed = keys[key_id].encrypt(nonce, plaintext, context.encode())
    return f"{PREFIX}:{key_id}:".encode() + nonce + sealed


def decrypt_bytes(token: bytes, *, context: str) -> bytes:
    try:
        version, key_id, raw = bytes(token).split(b":", 2)
        if version.decode() != PREFIX:
            raise DecryptionError(f"unknown ciphertext version {version!r}")
        aes = _current_keys()[1][key_id.decode()]
        return aes.decrypt(raw[:12], raw[12:], context.encode())
    except KeyError as exc:
        raise DecryptionError("ciphertext was made with a key that is not configured") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise DecryptionError("malformed ciphertext") from exc
    except DecryptionError:
        raise
    except Exception as exc:  # cryptography raises InvalidTag for a wrong key or tampered data
        raise DecryptionError("ciphertext does not authenticate") from exc


def key_id_of(token: str) -> str:
    return token.split(":", 2)[1]


def blind_index(value: str, *, context: str) -> str:
    key = settings.BLIND_INDEX_KEY.encode()
    return hmac.new(key, f"{context}\x00{value}".encode(), hashlib.sha256).hexdigest()
