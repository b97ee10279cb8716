from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SearchRecord(models.Model):
    """How many times a query was searched on a day, and what it found: the city's
    statistics read it. No person is recorded, only the words."""

    day = models.DateField(_("day"), default=timezone.localdate)
    query = models.CharField(_("query"), max_length=200)
    hits = models.PositiveIntegerField(_("searches"), default=1)
    results = models.PositiveIntegerField(_("results"))

    class Meta:
        verbose_name = _("search")
        verbose_name_plural = _("searches")
        ordering = ["-day", "-hits"]
        constraints = [
            models.UniqueConstraint(fields=["day", "query"], name="search_record_unique_per_day")
        ]

    def __str__(self):
        return self.query

    @classmethod
    def record(cls, query, results):
        """One more search of `query` today, with its latest number of results."""
        day = timezone.localdate()
        query = query[:200]
        counted = cls.objects.filter(day=day, query=query)
        if counted.update(hits=F("hits") + 1, results=results):
            return
        try:
            with transaction.atomic():
                cls.objects.create(day=day, query=query, results=results)
        except IntegrityError:  # another request created today's row first
            counted.update(hits=F("hits") + 1, results=results)
