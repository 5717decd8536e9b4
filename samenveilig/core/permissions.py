"""The vocabulary of access: what a person needs to do with an object, and the roles that grant it.

Roles are roles, not a hierarchy (DESIGN.md §1): each gate in `<app>/access.py` lists exactly which roles grant
which need; nobody inherits another role's rights.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Need(StrEnum):
    VIEW_PUBLIC = "view_public"  # what a stranger may see
    VIEW = "view"  # the community's own pages: members' first names, partners, phase
    VIEW_MEMBERS = "view_members"  # the member list with roles
    MANAGE_MEMBERS = "manage_members"  # approve, remove
    INVITE = "invite"  # create and revoke invite links
    EDIT_RULES = "edit_rules"  # publish a new house-rules version
    CHANGE_PHASE = "change_phase"
    EDIT = "edit"  # name, description, area
    REPORT = "report"  # file a report in the community
    EDIT_ROUTING = "edit_routing"  # change who receives the community's reports
    POST = "post"  # write in the community's conversation, react, report a post
    POST_INFO = "post_info"  # partner staff: post voorlichting (with a perspective for action)
    MODERATE = "moderate"  # the coordinators' queue, pinning, conduct steps


class Role(models.TextChoices):
    """A person's role in one community."""

    PARTICIPANT = "participant", _("participant")
    COORDINATOR = "coordinator", _("coordinator")
    INITIATOR = "initiator", _("initiator")
    FACILITATOR = "facilitator", _("process facilitator")


class OrganisationKind(models.TextChoices):
    """The kind of a partner organisation; its staff act for it."""

    MUNICIPALITY = "municipality", _("municipality")
    POLICE = "police", _("police")
    FIRE = "fire", _("fire brigade")
    MEDICAL = "medical", _("medical (GHOR)")
    HOUSING = "housing", _("housing corporation")
    ORGANISATION = "organisation", _("organisation")
