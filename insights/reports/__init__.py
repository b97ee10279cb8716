"""What the city sees: its reports on shops, requests, audience, searches and commission.

`numbers` computes them, in a fixed number of queries whatever the number of shops or
requests; `views` presents them (Wagtail's ReportView, with charts and exports) and
registers their admin URLs and menu. Importing this package registers those hooks
(insights/wagtail_hooks.py relies on it).
"""

from .numbers import (
    audience_by_shop,
    audience_by_week,
    audience_numbers,
    commission_lines,
    completed_requests,
    describe_shop,
    duration_text,
    request_numbers,
    search_numbers,
    shops_overview,
    shops_summary,
)
from .views import register_statistics_menu, statistics_menu

__all__ = [
    "audience_by_shop",
    "audience_by_week",
    "audience_numbers",
    "commission_lines",
    "completed_requests",
    "describe_shop",
    "duration_text",
    "register_statistics_menu",
    "request_numbers",
    "search_numbers",
    "shops_overview",
    "shops_summary",
    "statistics_menu",
]
