"""The texts of the notifications app's own kinds (notifications.kinds)."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samenveilig.notifications.kinds import Text, register, render


@register("digest.summary")
def _digest(data: dict[str, Any]) -> Text:
    count = int(data["count"])
    if data.get("period") == "monthly":
        title = ngettext("Your monthly digest: %(n)s message", "Your monthly digest: %(n)s messages", count)
    else:
        title = ngettext("Your weekly digest: %(n)s message", "Your weekly digest: %(n)s messages", count)
    lines = [f"• {render(item['kind'], item.get('data') or {}).title}" for item in data.get("items", [])]
    if count > len(lines):
        lines.append(_("… and %(n)s more in your messages.") % {"n": count - len(lines)})
    return Text(title % {"n": count}, "\n".join(lines))


@register("delivery.refused")
def _refused(data: dict[str, Any]) -> Text:
    from samenveilig.notifications.models import Channel

    channel = data["channel"]
    title = _("We could not reach you by %(channel)s") % {"channel": Channel(channel).label}
    if channel == "email":
        body = _("Your e-mail address was refused. Check it under My account, or choose another channel.")
    elif channel == "sms":
        body = _("Your phone number was refused. Check it under My account, or choose another channel.")
    else:
        body = _("None of your devices takes push messages any more. Switch them on again, or choose another channel.")
    return Text(title, body)
