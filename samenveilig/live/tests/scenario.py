"""Steps of the live-channel tests, run as `python -m samenveilig.live.tests.scenario STEP [ARGS]` inside a real
installation (the live process cannot see a test's own database). Each prints one JSON object."""

import json
import os
import sys
from typing import Any

import django


def seed(members: int) -> dict[str, Any]:
    """A community with `members` members (the first a coordinator), a second community, and one session each."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from samenveilig.communities.services import community_create
    from samenveilig.core.permissions import Role
    from samenveilig.core.testing import add_member, make_areas, make_user

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # hundreds of test people, fast
    areas = make_areas()
    here = community_create(name="Hier", kind="street", municipality=areas["gemeente"], buurten=[areas["noord"]])
    there = community_create(name="Daar", kind="street", municipality=areas["gemeente"], buurten=[areas["zuid"]])
    people = []
    for i in range(members):
        user = make_user(f"lid{i}")
        add_member(here, user, Role.COORDINATOR if i == 0 else Role.PARTICIPANT)
        people.append(user)
    stranger = make_user("buiten")
    add_member(there, stranger)
    sessions = {}
    for user in [*people, stranger]:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions[user.pk] = store.session_key
    from samenveilig.accounts.services import token_create

    _token, secret = token_create(user=people[0], name="live test")
    return {
        "here": here.pk,
        "here_code": str(here.code),
        "there": there.pk,
        "members": [u.pk for u in people],
        "stranger": stranger.pk,
        "sessions": sessions,
        "token": secret,
    }


def notify(user_ids: str) -> dict[str, Any]:
    from django.db import transaction

    from samenveilig.live import broker
    from samenveilig.notifications.services import notify as write

    with transaction.atomic():
        written = write(recipients=[int(u) for u in user_ids.split(",")], kind="conduct.warning", data={})
    return {"written": written, "flushed": broker.flush()}


def audience(community: str, exclude: str) -> dict[str, Any]:
    from django.db import transaction

    from samenveilig.communities.models import Community
    from samenveilig.live import broker
    from samenveilig.notifications.services import fan_out_pending, notify_audience

    with transaction.atomic():
        notify_audience(
            community=Community.objects.get(pk=int(community)),
            exclude_id=int(exclude),
            kind="conversation.shared_report",
            data={"community": "Hier", "summary": "x"},
        )
    done = fan_out_pending()
    return {"fanouts": done, "flushed": broker.flush()}


def post(community: str, author: str, text: str) -> dict[str, Any]:
    from samenveilig.accounts.models import User
    from samenveilig.communities.models import Community
    from samenveilig.conversation.services import post_create
    from samenveilig.live import broker

    created = post_create(
        community=Community.objects.get(pk=int(community)), author=User.objects.get(pk=int(author)), text=text
    )
    return {"status": created.status, "flushed": broker.flush()}


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samenveilig.settings")
    django.setup()
    step, *args = sys.argv[1:]
    print(
        json.dumps(
            {
                "seed": lambda: seed(int(args[0])),
                "notify": lambda: notify(*args),
                "audience": lambda: audience(*args),
                "post": lambda: post(*args),
            }[step]()
        )
    )
