"""E-mail through Django's e-mail backend (SMTP in production, files under the data directory in the demo): plain
text and HTML, in the recipient's language, from templates notifications/email/message.{txt,html}."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from samenveilig.integrations.base import SENT, Message, Outcome, Transport, permanent, retry


class EmailTransport(Transport):
    channel = "email"
    max_attempts = 8

    def send(self, message: Message) -> Outcome:
        address = getattr(message.recipient, "email", "")
        if not address:
            return permanent("no e-mail address")
        context = {"message": message, "site_name": settings.SITE_NAME}
        mail = EmailMultiAlternatives(
            subject=f"{'[!] ' if message.urgent else ''}{message.title}",
            body=render_to_string("notifications/email/message.txt", context),
            to=[address],
            headers={"X-Samenveilig-Key": message.key},  # lets a mail system drop a duplicate on a retry
        )
        mail.attach_alternative(render_to_string("notifications/email/message.html", context), "text/html")
        try:
            mail.send()
        except smtplib.SMTPRecipientsRefused as exc:
            return permanent(f"address refused: {exc.recipients}")
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            return retry(f"{type(exc).__name__}: {exc}")
        return SENT
