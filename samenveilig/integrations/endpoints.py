"""Addresses we send to on someone else's say-so (a browser's push subscription, a partner's webhook URL): they must
be public https URLs, or the platform could be made to call into its own network (server-side request forgery).

`check_public_url` is called when the address is registered (a clear error, nothing stored) and again by the
transport before each send (a name may resolve differently later). Loopback, private, link-local, multicast and
reserved addresses are refused, also when a host name resolves to one. SAMENVEILIG_ALLOW_PRIVATE_ENDPOINTS=1 lifts
both rules (plain http and private addresses) for tests and a closed demo network only.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from samenveilig.core.errors import Invalid


def _refused(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def check_public_url(url: str, *, field: str = "url", code: str = "endpoint.invalid") -> str:
    """`url` when it is an https URL whose host resolves to public addresses only; else Invalid (Dutch message)."""
    allow_private = settings.ALLOW_PRIVATE_ENDPOINTS
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        parts, host, port = None, "", None
    if (
        parts is None
        or not host
        or parts.scheme not in ("https", "http")
        or (parts.scheme == "http" and not allow_private)
    ):
        message = _("Give a complete https address (https://…).")
        raise Invalid(message, code=code, fields={field: [message]})
    if parts.username or parts.password:
        message = _("The address may not contain a user name or password.")
        raise Invalid(message, code=code, fields={field: [message]})
    if allow_private:
        return url.strip()
    try:
        found = {info[4][0] for info in socket.getaddrinfo(host, port or 443, type=socket.SOCK_STREAM)}
    except (socket.gaierror, UnicodeError):
        message = _("The address %(host)s cannot be found.") % {"host": host}
        raise Invalid(message, code=code, fields={field: [message]}) from None
    if not found or any(_refused(address) for address in found):
        message = _("The address %(host)s is not a public internet address.") % {"host": host}
        raise Invalid(message, code=code, fields={field: [message]})
    return url.strip()
