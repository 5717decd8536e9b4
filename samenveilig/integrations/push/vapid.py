"""The server's VAPID key pair (RFC 8292): the private key from settings (generated on first run and kept in the data
directory, see settings.PUSH_VAPID_PRIVATE_KEY), its public half for the browsers (applicationServerKey)."""

import base64
from functools import lru_cache

from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid02


@lru_cache(maxsize=4)
def signer(private_key: str) -> Vapid02:
    """The signer for this private key (base64url raw scalar, or base64url DER as py_vapid reads it)."""
    return Vapid02.from_string(private_key)


def public_key(private_key: str) -> str:
    """The public key as browsers take it: the uncompressed P-256 point (65 bytes), base64url without padding."""
    point = signer(private_key).public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(point).rstrip(b"=").decode()
