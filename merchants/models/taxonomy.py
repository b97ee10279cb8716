"""The short lists editors keep and shops are filed under: categories and neighbourhoods."""

from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class SlugNamedSnippet(models.Model):
    """A short list editors maintain (shop categories, neighbourhoods): a name and a slug."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=False)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)


class ShopCategory(index.Indexed, SlugNamedSnippet):
    icon = models.CharField(
        _("symbol"),
        max_length=8,
        blank=True,
        help_text=_("An emoji shown on the category tile, such as 🥖."),
    )

    panels = [*SlugNamedSnippet.panels, FieldPanel("icon")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(SlugNamedSnippet.Meta):
        verbose_name = _("shop category")
        verbose_name_plural = _("shop categories")


class Neighbourhood(index.Indexed, SlugNamedSnippet):
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(SlugNamedSnippet.Meta):
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
