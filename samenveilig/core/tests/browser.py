"""The shared set-up of browser tests: Debian's headless Chromium driven by Playwright, against a live server."""

import os
from typing import Any

from django.contrib.staticfiles.testing import StaticLiveServerTestCase

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class BrowserTestCase(StaticLiveServerTestCase):
    """A live server and one Chromium per test class (`cls.browser`)."""

    browser: Any

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        # Playwright's sync API runs an event loop in this thread; the test's own ORM calls stay synchronous.
        # Only for this class: a child process started by another test must not inherit it.
        cls._async_unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

    @classmethod
    def tearDownClass(cls) -> None:
        cls.browser.close()
        cls.playwright.stop()
        if cls._async_unsafe is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = cls._async_unsafe
        super().tearDownClass()


class ServedBrowser:
    """For a test case that drives a real `samenveilig serve` (web, live process, in-process worker) with
    Chromium: `serve(env)` starts it on free ports and waits until both answer; `open_browser()` starts Chromium;
    `page_with_session(key)` opens a phone-sized Dutch page signed in with that session. Everything stops with the
    test (addCleanup). Content Security Policy errors in any page collect in `self.csp_errors`."""

    web: int
    live: int

    def serve(self, env: dict[str, str]) -> None:
        import subprocess

        from samenveilig.core.processes import stop_group
        from samenveilig.live.tests.test_live import SAMENVEILIG, free_port, wait_http

        self.web, self.live = free_port(), free_port()
        process = subprocess.Popen(  # noqa: S603 - our own command
            [SAMENVEILIG, "serve", "--port", str(self.web), "--live-port", str(self.live)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.addCleanup(stop_group, process)  # type: ignore[attr-defined]
        wait_http(f"http://127.0.0.1:{self.web}/health", timeout=60)
        wait_http(f"http://127.0.0.1:{self.live}/live/health", timeout=60)

    def open_browser(self) -> None:
        from playwright.sync_api import sync_playwright

        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs a loop in this thread
        self.addCleanup(os.environ.pop, "DJANGO_ALLOW_ASYNC_UNSAFE", None)  # type: ignore[attr-defined]
        self.playwright = sync_playwright().start()
        self.addCleanup(self.playwright.stop)  # type: ignore[attr-defined]
        self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self.addCleanup(self.browser.close)  # type: ignore[attr-defined]
        self.csp_errors: list[str] = []

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.web}{path}"

    def page_with_session(self, session_key: str, **context: Any) -> Any:
        browser_context = self.browser.new_context(locale="nl-NL", viewport={"width": 360, "height": 780}, **context)
        self.addCleanup(browser_context.close)  # type: ignore[attr-defined]
        browser_context.add_cookies([{"name": "sessionid", "value": session_key, "url": self.url("/")}])
        page = browser_context.new_page()
        page.set_default_timeout(15_000)
        page.on("console", lambda m: self.csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
        return page
