"""The VAPID key is generated on first run and kept: browsers subscribed with its public half."""

import subprocess
import sys
import tempfile

from django.test import SimpleTestCase

from samenveilig.core.tests.support import PROJECT_DIR, child_env
from samenveilig.integrations.push import vapid

PROBE = """
import django
django.setup()
from samenveilig.integrations.push import selectors
print(selectors.vapid_public_key())
"""


def public_key_in_child(data_dir: str, **env: str) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE],
        env=child_env(data_dir, DJANGO_SETTINGS_MODULE="samenveilig.settings", **env),
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if result.returncode != 0:
        raise AssertionError(result.stderr)
    return result.stdout.strip().splitlines()[-1]


class VapidKeyTests(SimpleTestCase):
    def test_generated_on_first_run_kept_afterwards_and_overridable(self) -> None:
        with tempfile.TemporaryDirectory() as data_dir:
            first = public_key_in_child(data_dir)
            self.assertEqual(public_key_in_child(data_dir), first)
            key_file = f"{data_dir}/vapid_private_key"
            with open(key_file) as handle:
                private = handle.read().strip()
            self.assertEqual(vapid.public_key(private), first)
            import os
            import stat

            self.assertEqual(stat.S_IMODE(os.stat(key_file).st_mode), 0o600)
        with tempfile.TemporaryDirectory() as other:
            self.assertNotEqual(public_key_in_child(other), first)  # each installation its own
