from collections.abc import Iterator

import pytest
from django.test import override_settings


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> Iterator[None]:
    """MD5 instead of PBKDF2 in tests (CONVENTIONS §8): the cast alone would spend seconds per class hashing."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads and generated files of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture(autouse=True)
def _fresh_reference_cache() -> Iterator[None]:
    """Each test starts without what an earlier one kept in core.refcache (its rolled-back data is gone)."""
    from samenveilig.core import refcache

    refcache.clear()
    yield
    refcache.clear()


def pytest_configure(config: pytest.Config) -> None:
    """The static files are collected by `samenveilig setup`, which the tests skip (they serve from the finders):
    an empty STATIC_ROOT keeps WhiteNoise from warning about it in every test that builds the middleware."""
    from django.conf import settings

    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
