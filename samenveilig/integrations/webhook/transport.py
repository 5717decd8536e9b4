"""Placeholder until the webhook transport is written (this session)."""

from samenveilig.integrations.base import Message, Outcome, Transport, permanent


class _Pending(Transport):
    channel = "webhook"

    def send(self, message: Message) -> Outcome:
        return permanent("not built yet")
