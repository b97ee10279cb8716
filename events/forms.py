from datetime import datetime

from django.utils.translation import gettext as _

from home.admin_forms import PortalPageForm

from . import recurrence

WHEN_FIELDS = ("start_date", "start_time", "end_time", "end_date", "repeat", "repeat_until")


class EventPageForm(PortalPageForm):
    def clean(self):
        """A date when the event does not take place must be one of its dates: a typo
        (a Sunday for a Saturday market) would otherwise cancel nothing, unnoticed."""
        cleaned = super().clean()
        exceptions = self.formsets.get("exceptions")
        if exceptions is None or any(cleaned.get(name) is None for name in WHEN_FIELDS[:3]):
            return cleaned
        when = self._meta.model(**{name: cleaned.get(name) for name in WHEN_FIELDS})
        starts = recurrence.local_starts(when)  # no exception yet: a new instance has none
        for form in exceptions.forms:
            day = form.is_valid() and form.cleaned_data.get("date")
            if not day or form.cleaned_data.get("DELETE"):
                continue
            if not when.repeat:
                form.add_error(
                    "date", _("Only an event that repeats skips dates: unpublish a one-off event.")
                )
            elif datetime.combine(day, when.start_time) not in starts:
                form.add_error("date", _("The event does not take place on this date anyway."))
        return cleaned
