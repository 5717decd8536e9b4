"""The installation side of test_worker_kill: run as `python -m samenveilig.notifications.tests.kill_scenario seed|
state` against the installation of the environment (SAMENVEILIG_DATA_DIR, DATABASE_URL), printing JSON.

`seed`: a community of MEMBERS members who all chose SMS for conversation messages, and FANOUTS audience
notifications to all of them, pending (a large fan-out waiting for the worker).
`ready`: the fan-outs written at once and a delivery task per parallel worker queued.
`state`: what the installation holds: fan-outs pending, notifications, deliveries per state, the de-duplication keys
of the sent ones, and whether anybody has two notifications of one fan-out or two deliveries of one notification.
"""

import datetime
import json
import os
import sys

MEMBERS = 100
FANOUTS = 40
PARALLEL = 3


def seed() -> dict:
    from django.db import transaction

    from samenveilig.accounts.models import User
    from samenveilig.communities import services as community_services
    from samenveilig.core.permissions import Role
    from samenveilig.core.testing import add_member, make_areas
    from samenveilig.notifications import services
    from samenveilig.notifications.models import ChannelChoice, DeliverySettings

    with transaction.atomic():
        areas = make_areas()
        community = community_services.community_create(
            name="Buurtpreventie Kill", kind="whatsapp", municipality=areas["gemeente"], buurten=[areas["noord"]]
        )
        people = [
            User(username=f"kill{n}", email=f"kill{n}@example.org", first_name=f"Kill{n}", phone=f"+316{n:08d}")
            for n in range(MEMBERS)
        ]
        for person in people:
            person.set_unusable_password()
        User.objects.bulk_create(people)
        people = list(User.objects.filter(username__startswith="kill"))
        for person in people:
            add_member(community, person, Role.PARTICIPANT)
        ChannelChoice.objects.bulk_create(
            [ChannelChoice(user=p, category="conversation", channel="sms") for p in people]
        )
        # No quiet hours (the same two times): the test runs at any time of day, also between 22:00 and 07:00.
        midnight = datetime.time(0, 0)
        DeliverySettings.objects.bulk_create(
            [DeliverySettings(user=p, quiet_from=midnight, quiet_until=midnight) for p in people]
        )
        for n in range(FANOUTS):
            services.notify_audience(
                community=community, kind="conversation.shared_report", data={"community": "Kill", "summary": f"{n}"}
            )
    return {"members": MEMBERS, "fanouts": FANOUTS}


def ready() -> dict:
    """The fan-outs written and their deliveries due, with one delivery task per worker waiting (PARALLEL): the
    workers started next all send at once."""
    from samenveilig.notifications import services, tasks

    written = services.fan_out_pending()
    for _ in range(PARALLEL):
        tasks.deliver.enqueue()
    return {"fanouts": written}


def state() -> dict:
    from django.db.models import Count

    from samenveilig.notifications.models import Delivery, DeliveryState, Fanout, Notification

    deliveries = Delivery.objects.all()
    return {
        "fanouts_pending": Fanout.objects.filter(done_at__isnull=True).count(),
        "notifications": Notification.objects.count(),
        "deliveries": deliveries.count(),
        "states": dict(deliveries.values_list("state").annotate(n=Count("pk")).order_by()),
        "sent_keys": sorted(
            f"samenveilig-{n}-sms"
            for n in deliveries.filter(state=DeliveryState.SENT).values_list("notification_id", flat=True)
        ),
        "double_notifications": Notification.objects.values("recipient", "fanout")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count(),
        "double_deliveries": deliveries.values("notification", "channel")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count(),
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samenveilig.settings")
    import django

    django.setup()
    print(json.dumps({"seed": seed, "ready": ready, "state": state}[sys.argv[1]]()))
