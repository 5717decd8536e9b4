"""The JSON API, version 1: /api/v1 (django-ninja). Each app contributes one Router from its own api.py."""

from typing import Any

from django.utils.translation import get_language
from ninja import NinjaAPI

from samenveilig.accounts.api import router as accounts_router
from samenveilig.accounts.auth import api_auth
from samenveilig.alerts.api import router as alerts_router
from samenveilig.areas.api import router as areas_router
from samenveilig.communities.api import router as communities_router
from samenveilig.conversation import api as conversation_api
from samenveilig.core import api_bench
from samenveilig.core.api import declare_problems, install_error_handlers
from samenveilig.integrations.push.api import router as push_router
from samenveilig.integrations.webhook.api import router as webhook_router
from samenveilig.moderation.api import router as moderation_router
from samenveilig.moderation.conduct_api import router as conduct_router
from samenveilig.notifications.api import router as notifications_router
from samenveilig.reports import api as reports_api


class SamenVeiligAPI(NinjaAPI):
    """Ninja's API with the problem+json declarations, and the OpenAPI document built once per process (building
    it takes ~45 ms; the routes cannot change while the process runs), per language for translated texts."""

    _openapi_cache: dict[str, dict[str, Any]]

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> dict[str, Any]:
        key = repr((get_language(), path_prefix, sorted((path_params or {}).items())))
        cache = self.__dict__.setdefault("_openapi_cache", {})
        if key not in cache:
            cache[key] = declare_problems(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))
        return cache[key]


api = SamenVeiligAPI(
    title="Samen Veilig API",
    version="1",
    description="The JSON API of Samen Veilig. Errors are RFC 9457 problem details with a stable `code`; "
    "messages follow Accept-Language (Dutch by default).",
    urls_namespace="api",
    auth=api_auth,
    docs_url="/docs",
)
install_error_handlers(api)
api.add_router("/me", accounts_router)
api.add_router("/areas", areas_router)
api.add_router("/communities", communities_router)
api.add_router("/communities", conversation_api.router)
api.add_router("/posts", conversation_api.posts_router)
api.add_router("/signals", conversation_api.signals_router)
if api_bench.enabled():  # the floor of `samenveilig bench reports`, only with SAMENVEILIG_BENCH_ENDPOINTS=1
    api.add_router("/bench", api_bench.router)
api.add_router("/reports", reports_api.router)
api.add_router("/inbox", reports_api.inbox_router)
api.add_router("/questions", reports_api.questions_router)
api.add_router("/feedback", reports_api.feedback_router)
api.add_router("/forwards", reports_api.forwards_router)
api.add_router("/reopen-requests", reports_api.reopen_router)
api.add_router("/routing-rules", reports_api.routing_router)
api.add_router("/deadlines", reports_api.deadlines_router)
api.add_router("/alerts", alerts_router)
api.add_router("/notifications", notifications_router)
api.add_router("/push", push_router)
api.add_router("/organisations", webhook_router)
api.add_router("/moderation", moderation_router)
api.add_router("", conduct_router)
