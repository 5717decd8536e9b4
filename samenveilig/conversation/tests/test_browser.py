"""The conversation in a real browser (issue 5, "Done when"): a member writes a stigmatising post, gets the kind
prompt, rephrases it with a proper description and it is published (and appears for another member without a
reload); another sends a post anyway and a coordinator rejects it from the queue. Headless Chromium via Playwright;
every page is checked for Content Security Policy violations."""

import pytest
from playwright.sync_api import expect

from samenveilig.accounts.tests.helpers import verified
from samenveilig.conversation.models import Post, PostStatus
from samenveilig.core.testing import make_cast
from samenveilig.core.tests.browser import BrowserTestCase

STIGMA = "Er loopt weer een donkere man door de straat, niet pluis"
REPHRASED = "Man in zwarte jas en grijze broek voelt aan de deurklinken van auto's aan de Parklaan, richting station."
ANYWAY = "Die asielzoekers zijn allemaal criminelen"


@pytest.mark.browser
class ConversationBrowserTests(BrowserTestCase):
    def setUp(self) -> None:
        make_cast(self)
        for person in (self.anna, self.ivo, self.cor):
            verified(person)
        self.csp_errors: list[str] = []

    def _page(self, user):
        context = self.browser.new_context(locale="nl-NL", viewport={"width": 360, "height": 780})
        self.addCleanup(context.close)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("console", lambda m: self.csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(self.live_server_url + "/accounts/login/")
        page.locator("main input[name=login]").fill(user.email)
        page.locator("main input[name=password]").fill("correct-horse-battery")
        with page.expect_navigation():
            page.locator("main form[method=post] [type=submit]").first.click()
        return page

    def stream_url(self) -> str:
        return f"{self.live_server_url}/communities/{self.buurt.slug}/gesprek/"

    def test_a_flagged_post_is_rephrased_and_appears_for_others_without_reload(self) -> None:
        ivo = self._page(self.ivo)
        ivo.goto(self.stream_url())
        anna = self._page(self.anna)
        anna.goto(self.stream_url())
        anna.locator("#id_text").fill(STIGMA)
        with anna.expect_navigation():
            anna.locator("main form button[type=submit]").first.click()
        prompt = anna.locator("[data-kind-prompt]")
        expect(prompt).to_contain_text("donkere man")  # the reason names what triggered it
        expect(prompt).to_contain_text("kleding")  # and the suggestion says what to do instead
        self.assertFalse(Post.objects.filter(status=PostStatus.PUBLISHED).exists())
        anna.locator("#id_text").fill(REPHRASED)
        with anna.expect_navigation():
            anna.locator("button[name=action][value=revise]").click()
        expect(anna.locator("[data-post-text]").first).to_contain_text("deurklinken")
        expect(ivo.locator("[data-post-text]").first).to_contain_text("deurklinken", timeout=20_000)  # htmx poll
        self.assertEqual(self.csp_errors, [])

    def test_a_post_sent_anyway_waits_and_a_coordinator_rejects_it(self) -> None:
        ivo = self._page(self.ivo)
        ivo.goto(self.stream_url())
        ivo.locator("#id_text").fill(ANYWAY)
        with ivo.expect_navigation():
            ivo.locator("main form button[type=submit]").first.click()
        with ivo.expect_navigation():
            ivo.locator("button[name=action][value=send_anyway]").click()
        expect(ivo.locator("main")).not_to_contain_text(ANYWAY)
        cor = self._page(self.cor)
        cor.goto(self.stream_url() + "wachtrij/")
        card = cor.locator("article[data-post]").filter(has_text=ANYWAY)
        expect(card).to_contain_text("stigmatisering")
        card.locator("textarea[name=reason]").fill("Dit is stigmatiserend. Beschrijf gedrag, geen groepen.")
        with cor.expect_navigation():
            card.locator("button[name=action][value=reject]").click()
        expect(cor.locator("article[data-post]")).to_have_count(0)
        self.assertEqual(Post.objects.get(text=ANYWAY).status, PostStatus.REJECTED)
        ivo.goto(self.live_server_url + "/berichten/")
        expect(ivo.locator("main")).to_contain_text("niet geplaatst")
        self.assertEqual(self.csp_errors, [])

    def test_request_warning_removal_then_an_appeal_decided_by_the_facilitator(self) -> None:
        from samenveilig.communities.models import Membership, MembershipStatus

        verified(self.fenna)
        anna = Membership.objects.get(community=self.buurt, user=self.anna)
        cor = self._page(self.cor)
        cor.goto(f"{self.live_server_url}/communities/{self.buurt.slug}/leden/")
        with cor.expect_navigation():
            cor.locator(f"a[href$='/leden/{anna.code}/gedrag/']").click()
        for kind in ("request", "warning", "removal"):
            expect(cor.locator("#id_kind")).to_have_value(kind)  # the next step is suggested, with its ready text
            expect(cor.locator("#id_message")).to_contain_text("Anna")
            with cor.expect_navigation():
                cor.locator("main form button[type=submit]").click()
        expect(cor.locator("[data-steps] li")).to_have_count(3)
        self.assertEqual(Membership.objects.get(pk=anna.pk).status, MembershipStatus.REMOVED)

        member = self._page(self.anna)
        member.goto(self.live_server_url + "/gedrag/")
        expect(member.locator("article[data-step]")).to_have_count(3)
        removal = member.locator("article[data-step]").first  # newest first: the removal
        removal.locator("textarea[name=text]").fill("Ik heb me vergist en beloof me aan de huisregels te houden.")
        with member.expect_navigation():
            removal.locator("button[type=submit]").click()
        expect(member.locator("[data-appeal]").first).to_contain_text("wacht")

        fenna = self._page(self.fenna)
        fenna.goto(f"{self.live_server_url}/communities/{self.buurt.slug}/bezwaren/")
        card = fenna.locator("article[data-appeal]")
        expect(card).to_contain_text("vergist")
        card.locator("textarea[name=decision]").fill("Welkom terug, Anna.")
        with fenna.expect_navigation():
            card.locator("button[name=outcome][value=overturned]").click()
        self.assertEqual(Membership.objects.get(pk=anna.pk).status, MembershipStatus.ACTIVE)
        member.goto(self.live_server_url + "/gedrag/")
        expect(member.locator("[data-appeal]").first).to_contain_text("Welkom terug")
        self.assertEqual(self.csp_errors, [])
