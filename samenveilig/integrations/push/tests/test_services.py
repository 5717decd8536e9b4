"""Subscribing and unsubscribing devices, and choosing push as a channel (which needs a device)."""

import datetime

from django.test import override_settings
from django.utils import timezone

from samenveilig.core.errors import Invalid, NotFound
from samenveilig.core.testing import SamenVeiligTestCase
from samenveilig.integrations.push import selectors, services
from samenveilig.integrations.push.models import PushSubscription
from samenveilig.integrations.push.tests.support import Browser
from samenveilig.notifications import services as notifications
from samenveilig.notifications.models import ChannelChoice


@override_settings(ALLOW_PRIVATE_ENDPOINTS=True)  # push.example needs no DNS look-up then
class SubscriptionTests(SamenVeiligTestCase):
    def subscribe(self, person, endpoint: str = "https://push.example/wpush/v2/abc", **extra):
        browser = Browser()
        return services.push_subscribe(
            person=person, endpoint=endpoint, p256dh=browser.p256dh, auth=browser.auth, **extra
        )

    def test_the_same_endpoint_again_updates_and_never_doubles(self) -> None:
        first, created = self.subscribe(self.anna, device="Firefox, Android")
        again, created_again = self.subscribe(self.anna, device="Firefox, Android")
        self.assertEqual((created, created_again, again.pk), (True, False, first.pk))
        self.assertEqual(PushSubscription.objects.count(), 1)
        self.assertNotEqual(PushSubscription.objects.get().p256dh, first.p256dh)  # the new keys

    def test_a_device_another_person_signs_in_on_becomes_theirs(self) -> None:
        self.subscribe(self.anna)
        self.subscribe(self.cor)
        self.assertEqual(list(PushSubscription.objects.values_list("person", flat=True)), [self.cor.pk])
        self.assertFalse(selectors.has_device(self.anna))

    def test_padding_is_accepted_and_stored_without(self) -> None:
        browser = Browser()
        found, _created = services.push_subscribe(
            person=self.anna, endpoint="https://push.example/x", p256dh=browser.p256dh + "=", auth=browser.auth + "=="
        )
        self.assertEqual((found.p256dh, found.auth), (browser.p256dh, browser.auth))

    def test_the_device_used_longest_ago_goes_when_there_are_too_many(self) -> None:
        for n in range(services.MAX_DEVICES):
            self.subscribe(self.anna, f"https://push.example/{n}")
        long_ago = timezone.now() - datetime.timedelta(days=300)
        PushSubscription.objects.update(last_success_at=timezone.now())
        PushSubscription.objects.filter(endpoint="https://push.example/3").update(
            created_at=long_ago, last_success_at=long_ago
        )
        newest, _created = self.subscribe(self.anna, "https://push.example/new")
        self.assertEqual(PushSubscription.objects.filter(person=self.anna).count(), services.MAX_DEVICES)
        self.assertFalse(PushSubscription.objects.filter(endpoint="https://push.example/3").exists())
        self.assertTrue(PushSubscription.objects.filter(pk=newest.pk).exists())

    def test_an_overlong_endpoint_is_refused(self) -> None:
        with self.assertRaises(Invalid) as caught:
            self.subscribe(self.anna, "https://push.example/" + "x" * 1000)
        self.assertEqual(set(caught.exception.fields), {"endpoint"})
        self.assertFalse(PushSubscription.objects.exists())

    def test_unsubscribe_only_ones_own(self) -> None:
        found, _created = self.subscribe(self.anna)
        with self.assertRaises(NotFound):
            services.push_unsubscribe(person=self.cor, endpoint=found.endpoint)
        services.push_unsubscribe(person=self.anna, endpoint=found.endpoint)
        self.assertFalse(PushSubscription.objects.exists())

    def test_choosing_push_needs_a_device_first(self) -> None:
        with self.assertRaises(Invalid) as caught:
            notifications.channels_set(user=self.anna, category="report", channels=["push", "email"])
        self.assertIn("channels", caught.exception.fields)
        self.assertFalse(ChannelChoice.objects.filter(user=self.anna).exists())  # nothing changed
        self.subscribe(self.anna)
        self.assertEqual(notifications.channels_set(user=self.anna, category="report", channels=["push"]), ["push"])
