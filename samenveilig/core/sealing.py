"""Short texts kept encrypted at rest with a key that is not in the database (Fernet: AES-128-CBC with an
HMAC-SHA256), so a copy of the database alone does not give them away.

A key setting may hold several Fernet keys separated by commas: the first seals, each of them opens (MultiFernet).
So a key can be replaced without losing what the one before sealed: put the new key first, keep the old one
behind it until everything has been sealed again.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


@lru_cache(maxsize=8)
def _fernet(keys: str) -> MultiFernet:
    return MultiFernet([Fernet(key.strip().encode()) for key in keys.split(",") if key.strip()])


def seal(text: str, keys: str) -> str:
    """`text` encrypted with the first of `keys`, as URL-safe text (about 1.4 × the text plus 100 characters)."""
    return _fernet(keys).encrypt(text.encode()).decode()


def unseal(token: str, keys: str) -> str | None:
    """The text of a sealed token, or None if none of `keys` opens it (or it is not a token)."""
    try:
        return _fernet(keys).decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return None


def new_key() -> str:
    """A new Fernet key (32 random bytes, URL-safe base64)."""
    return Fernet.generate_key().decode()
