from unittest import mock

from django.test import SimpleTestCase

from samenveilig.core import tokens


class NewTokenTests(SimpleTestCase):
    def test_a_token_that_would_read_as_an_option_is_drawn_again(self) -> None:
        drawn = iter(["-looks-like-an-option", "--also", "Plain-token_1"])
        with mock.patch.object(tokens.secrets, "token_urlsafe", side_effect=lambda n: next(drawn)) as draw:
            self.assertEqual(tokens.new_token(), "Plain-token_1")
        self.assertEqual(draw.call_count, 3)

    def test_tokens_are_url_safe_and_long(self) -> None:
        token = tokens.new_token()
        self.assertGreaterEqual(len(token), 43)  # 32 random bytes
        self.assertRegex(token, r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")
