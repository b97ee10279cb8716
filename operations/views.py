from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .health import run_checks


@require_safe
@never_cache
def health(request):
    """200 when every part works, 503 naming the failing ones; JSON, English, no log-in."""
    checks = run_checks()
    failing = [name for name, result in checks.items() if not result["ok"]]
    return JsonResponse(
        {"status": "failing" if failing else "ok", "failing": failing, "checks": checks},
        status=503 if failing else 200,
    )
