"""Configuration only through the environment: the embedded default, the switches to scale, production safety.

Each case loads the settings in a fresh interpreter with its own environment and data directory, because settings
are read once per process.
"""

import re
import secrets
import subprocess
import tempfile
import uuid
from pathlib import Path

from django.core.cache import cache
from django.test import SimpleTestCase, override_settings

from samenveilig.core.tests.support import CLI, PROJECT_DIR, child_env, ensure_redis, settings_in_child


class EmbeddedDefaultTests(SimpleTestCase):
    def test_with_nothing_set_the_data_lives_in_sqlite_in_wal_mode_and_debug_is_off(self) -> None:
        with tempfile.TemporaryDirectory(prefix="sv-settings-") as data_dir:
            answer = settings_in_child(data_dir)
            self.assertTrue((Path(data_dir) / "samenveilig.sqlite3").exists())
            self.assertTrue((Path(data_dir) / "secret_key").exists())
        self.assertEqual(answer["ENGINE"], "django.db.backends.sqlite3")
        self.assertFalse(answer["DEBUG"])
        self.assertEqual(answer["CACHE_BACKEND"], "django.core.cache.backends.locmem.LocMemCache")
        # The PRAGMAs as a real connection reports them, not as the settings spell them.
        self.assertEqual(answer["journal_mode"], "wal")
        self.assertEqual(answer["synchronous"], 1)  # NORMAL
        self.assertGreater(answer["busy_timeout"], 0)
        self.assertEqual(answer["foreign_keys"], 1)
        self.assertFalse(answer["SESSION_COOKIE_SECURE"])
        self.assertEqual(answer["SECURE_HSTS_SECONDS"], 0)


class ScaleSwitchTests(SimpleTestCase):
    def test_database_url_switches_to_postgresql_redis_url_to_redis_and_debug_only_when_asked(self) -> None:
        with tempfile.TemporaryDirectory(prefix="sv-settings-") as data_dir:
            answer = settings_in_child(
                data_dir,
                DATABASE_URL="postgres://sv:secret@db.invalid:5432/samenveilig",
                REDIS_URL="redis://cache.invalid:6379/3",
                SAMENVEILIG_DEBUG="1",
            )
            self.assertFalse((Path(data_dir) / "samenveilig.sqlite3").exists())
        self.assertEqual(answer["ENGINE"], "django.db.backends.postgresql")
        self.assertEqual(answer["CACHE_BACKEND"], "django.core.cache.backends.redis.RedisCache")
        self.assertEqual(answer["CACHE_LOCATION"], "redis://cache.invalid:6379/3")
        self.assertTrue(answer["DEBUG"])


class RedisCacheTests(SimpleTestCase):
    def test_a_value_makes_a_real_round_trip_through_the_redis_cache(self) -> None:
        import redis

        ensure_redis()
        prefix = f"sv-test-{uuid.uuid4().hex}"
        caches = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:6379/0",
                "KEY_PREFIX": prefix,
            }
        }
        with override_settings(CACHES=caches):
            cache.set("greeting", {"text": "goedemorgen"}, timeout=30)
            stored = redis.Redis(host="127.0.0.1", port=6379).keys(f"{prefix}*")
            value = cache.get("greeting")
            cache.delete("greeting")
        self.assertEqual(value, {"text": "goedemorgen"})
        self.assertEqual(len(stored), 1)  # it really is in Redis, not in this process


class DeployCheckTests(SimpleTestCase):
    def test_the_production_settings_from_the_readme_pass_the_deploy_check_without_warnings(self) -> None:
        readme = (PROJECT_DIR / "README.md").read_text()
        self.assertIn("SAMENVEILIG_HTTPS=1", readme)
        self.assertIn("SAMENVEILIG_ALLOWED_HOSTS=veilig.example.nl", readme)
        self.assertIn("check --deploy --fail-level WARNING", readme)
        production = {
            "SAMENVEILIG_SECRET_KEY": secrets.token_urlsafe(64),
            "SAMENVEILIG_HTTPS": "1",
            "SAMENVEILIG_ALLOWED_HOSTS": "veilig.example.nl",
            "DATABASE_URL": "postgres://user:pass@db/samenveilig",
            "REDIS_URL": "redis://cache:6379/0",
        }
        with tempfile.TemporaryDirectory(prefix="sv-deploy-") as data_dir:
            result = subprocess.run(  # noqa: S603
                [*CLI, "manage", "check", "--deploy", "--fail-level", "WARNING"],
                env=child_env(data_dir, **production),
                cwd=PROJECT_DIR,
                capture_output=True,
                text=True,
                timeout=120,
            )
            answer = settings_in_child(data_dir, **production)
        output = result.stdout + result.stderr
        self.assertEqual(result.returncode, 0, output)
        self.assertIn("System check identified no issues", output)
        self.assertIsNone(re.search(r"\(security\.W\d+\)", output), output)
        self.assertFalse(answer["DEBUG"])
        self.assertGreaterEqual(answer["SECURE_HSTS_SECONDS"], 31536000)
        self.assertTrue(answer["SESSION_COOKIE_SECURE"] and answer["CSRF_COOKIE_SECURE"])
        self.assertTrue(answer["SECURE_SSL_REDIRECT"])

    def test_the_deploy_check_warns_about_a_development_setup(self) -> None:
        """The check above can fail: without the production variables it does warn."""
        with tempfile.TemporaryDirectory(prefix="sv-deploy-") as data_dir:
            result = subprocess.run(  # noqa: S603
                [*CLI, "manage", "check", "--deploy", "--fail-level", "WARNING"],
                env=child_env(data_dir, SAMENVEILIG_DEBUG="1"),
                cwd=PROJECT_DIR,
                capture_output=True,
                text=True,
                timeout=120,
            )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("security.W018", result.stdout + result.stderr)  # DEBUG on in deployment
