"""The web front end: server-rendered pages over the same data as the API, charts as SVG, assets
served by the app itself (nothing from a CDN). Readable without JavaScript;
registry/web/static/site.js enhances the forms.

`router()` holds every page, chart and asset (none in the OpenAPI document); registry/app.py mounts
it.
"""

from __future__ import annotations

from litestar import Router

from registry.web.render import PAGE_ERRORS, page_or_problem, static_router, template_config

__all__ = ["router", "page_or_problem", "template_config"]


def router() -> Router:
    from registry.web.analysis import AnalysisPages
    from registry.web.cohorts import CohortPages
    from registry.web.compare import ComparePages
    from registry.web.embed import EmbedPages
    from registry.web.places import PlacePages

    return Router(
        path="/",
        route_handlers=[
            PlacePages,
            ComparePages,
            AnalysisPages,
            CohortPages,
            EmbedPages,
            static_router(),
        ],
        include_in_schema=False,
        exception_handlers=PAGE_ERRORS,
    )
