"""Transports to the outside world, one class per channel (CONVENTIONS §1): `<channel>/transport.py`.

A transport sends one delivery (notifications.models.Delivery) and says how it went: sent, try again (after how
long, if the other side said), or never (a permanent error: an invalid address, an unsubscribed endpoint). It does
not touch the database: notifications.delivery leases, sends and records. Adding a channel is adding one transport
class and its Channel value.
"""
