"""The demo's known logins: one person of every role in "Gemeente Voorbeeld".

`samenveilig demo` / `samenveilig serve --demo` create these people (samenveilig.demo.builder). Every demo person,
the thousands of residents included, has the password DEMO_PASSWORD. Partner staff and the admin must use
two-factor authentication, so their accounts carry a TOTP authenticator with the fixed secret DEMO_TOTP_SECRET:
add it to any authenticator app, or print the current code with `samenveilig demo --totp`.

The role labels are Dutch on purpose: they are demo data shown as-is, not interface text.
"""

DEMO_PASSWORD = "veilig-samen-demo"  # noqa: S105 - the published demo password

# Base32, 20 bytes: the same on every demo installation. Never use a fixed secret outside the demo.
DEMO_TOTP_SECRET = "KNAW2ZLOIZSWS3DJM5SGK3LPMRSW2ZLP"  # noqa: S105 - a published demo secret

DEMO_DOMAIN = "demo.samenveilig.nl"

# (e-mail, role label). The login page offers one-click login for each.
DEMO_ACCOUNTS: list[tuple[str, str]] = [
    ("bewoner@demo.samenveilig.nl", "Bewoner (deelnemer)"),
    ("coordinator@demo.samenveilig.nl", "Coördinator"),
    ("initiatiefnemer@demo.samenveilig.nl", "Initiatiefnemer (trekker)"),
    ("procesbegeleider@demo.samenveilig.nl", "Procesbegeleider"),
    ("wijkagent@demo.samenveilig.nl", "Wijkagent (politie)"),
    ("oov@demo.samenveilig.nl", "OOV-adviseur (gemeente)"),
    ("brandweer@demo.samenveilig.nl", "Brandweer"),
    ("ghor@demo.samenveilig.nl", "GHOR (geneeskundige hulp)"),
    ("woningcorporatie@demo.samenveilig.nl", "Woningcorporatie (organisatie)"),
    ("winkeliers@demo.samenveilig.nl", "Winkeliersvereniging (organisatie)"),
    ("beheerder@demo.samenveilig.nl", "Beheerder"),
]

# A short English description of each demo account (for documentation and English-speaking visitors).
DEMO_ACCOUNT_DESCRIPTIONS: dict[str, str] = {
    "bewoner@demo.samenveilig.nl": "resident, participant in the neighbourhood watch and the district community",
    "coordinator@demo.samenveilig.nl": "coordinator of a neighbourhood watch, participant elsewhere",
    "initiatiefnemer@demo.samenveilig.nl": "initiator of a street community",
    "procesbegeleider@demo.samenveilig.nl": "process facilitator of several communities",
    "wijkagent@demo.samenveilig.nl": "community police officer (police basisteam), partner staff, 2FA",
    "oov@demo.samenveilig.nl": "public order and safety adviser of the municipality, partner staff, 2FA",
    "brandweer@demo.samenveilig.nl": "fire brigade fire-safety adviser, partner staff, 2FA",
    "ghor@demo.samenveilig.nl": "GHOR (medical emergency services) adviser, partner staff, 2FA",
    "woningcorporatie@demo.samenveilig.nl": "housing corporation neighbourhood consultant, partner staff, 2FA",
    "winkeliers@demo.samenveilig.nl": "shop owners' association chair, partner staff, 2FA",
    "beheerder@demo.samenveilig.nl": "administrator of the installation (staff, superuser), 2FA",
}

# The demo accounts that must use two-factor authentication (partner staff and the admin).
DEMO_MFA_ACCOUNTS: frozenset[str] = frozenset(
    {
        "wijkagent@demo.samenveilig.nl",
        "oov@demo.samenveilig.nl",
        "brandweer@demo.samenveilig.nl",
        "ghor@demo.samenveilig.nl",
        "woningcorporatie@demo.samenveilig.nl",
        "winkeliers@demo.samenveilig.nl",
        "beheerder@demo.samenveilig.nl",
    }
)


def current_totp_code() -> str:
    """The TOTP code of DEMO_TOTP_SECRET that is valid right now (what an authenticator app would show)."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // app_settings.TOTP_PERIOD))
