"""Synchronise a shop's products with one of its catalogue sources.

`run(source)` takes the source's lock, fetches every page of it (catalogue.fetching, the
format of its kind in catalogue.formats), matches the items to the shop's products and
writes the changes through the product import's code path (products.importing: bulk
writes, an unchanged product is not written). Unattended, an invalid item is skipped and
reported with its reason; the valid ones are written in one transaction.

What a run never does:
- touch a product typed by hand in the portal (one with the same reference waits for the
  merchant to confirm its adoption on the source's page), or one the merchant detached;
- delete a product: one gone from the source is hidden, and shown again if it comes back;
- write anything when the answer looks wrong (the safety valve): no product at all, not a
  catalogue (an HTML page, a password page), no valid product, or more than half of the
  source's shown products to hide at once.

Each run is recorded (SyncRun). A failure schedules the next attempt with growing delays
(a 429's Retry-After respected); after ALERT_AFTER failed runs in a row the merchant gets
one e-mail, and no other until the source works again.
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField

from merchants.access import ensure_shop_access
from merchants.addresses import shop_addresses, shop_language
from notifications.outbox import enqueue
from products import importing
from products.models import Product, ProductImage
from products.tasks import reindex_products

from .admin_urls import REPORT
from .fetching import FetchError, TimedOut, fetch
from .formats import FORMATS
from .items import NotACatalogue
from .models import RUN_LEASE, CatalogueSource, RemoteImage, RunStatus, SourceCategory, SyncRun

logger = logging.getLogger(__name__)

# After a failed run, the next attempt waits this long (then the source's own interval).
RETRY_DELAYS = (timedelta(minutes=15), timedelta(hours=1), timedelta(hours=3))
ALERT_AFTER = 3
MAX_PAGES = 200
# A run stops reading (pages, then photos) after this long, well within RUN_LEASE: a slow
# source fails the run, photos left over wait for the next one.
RUN_DEADLINE = timedelta(minutes=20)
# A Retry-After longer than this is read as this (a source cannot stop itself for years).
LONGEST_WAIT = timedelta(days=7)
# Above this share of the source's shown products, a run that would hide them stops.
MOST_HIDDEN = 0.5
PHOTOS_PER_PRODUCT = 8


class SafetyValve(Exception):
    """The run stops without writing; the message says why, for the merchant."""


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    hidden: int = 0
    unchanged: int = 0
    skipped: int = 0
    images: int = 0
    problems: list = field(default_factory=list)


def run(source, *, manual=False, now=None):
    """Fetch the source, match its items to the shop's products and write the changes.

    Returns the SyncRun recorded, or None when another run of the source holds it."""
    now = now or timezone.now()
    token = _acquire(source, now)
    if token is None:
        return None
    sync_run = SyncRun.objects.create(source=source, manual=manual, started_at=now)
    try:
        outcome = synchronise(source)
    except (SafetyValve, NotACatalogue) as stop:
        _finish(sync_run, RunStatus.STOPPED, str(stop))
    except FetchError as error:
        _finish(sync_run, RunStatus.FAILED, str(error), retry_after=error.retry_after)
    except Exception:
        logger.exception("The synchronisation of catalogue source %s failed", source.pk)
        _finish(sync_run, RunStatus.FAILED, _("The portal could not read this source."))
    else:
        for name in ("created", "updated", "hidden", "unchanged", "skipped", "images"):
            setattr(sync_run, name, getattr(outcome, name))
        sync_run.problems = outcome.problems
        _finish(sync_run, RunStatus.SUCCESS, "")
    finally:
        CatalogueSource.objects.filter(pk=source.pk, run_token=token).update(
            running_since=None, run_token=""
        )
    return sync_run


def run_due(now=None):
    """Run every source whose time has come (the cron command's and the worker's turn)."""
    now = now or timezone.now()
    runs = []
    for source in CatalogueSource.objects.due(now).select_related("shop").order_by("next_run_at"):
        try:
            sync_run = run(source)
        except Exception:  # one source's trouble never holds up the others
            logger.exception("Catalogue source %s could not be run", source.pk)
            continue
        if sync_run is not None:
            runs.append(sync_run)
    return runs


# The lock: one conditional UPDATE, atomic on SQLite and PostgreSQL, across servers. A run
# that died keeps its source at most RUN_LEASE.


def _acquire(source, now):
    token = secrets.token_hex(16)
    free = Q(running_since__isnull=True) | Q(running_since__lt=now - RUN_LEASE)
    taken = CatalogueSource.objects.filter(free, pk=source.pk).update(
        running_since=now, run_token=token
    )
    return token if taken else None


def _finish(sync_run, status, message, retry_after=None):
    source = CatalogueSource.objects.get(pk=sync_run.source_id)
    now = timezone.now()
    sync_run.status, sync_run.message, sync_run.finished_at = status, message, now
    sync_run.save()
    if status == RunStatus.SUCCESS:
        source.failures_in_row = 0
        source.alerted_at = None
        source.last_success_at = now
        source.next_run_at = now + timedelta(hours=source.interval_hours)
    else:
        source.failures_in_row += 1
        delay = RETRY_DELAYS[min(source.failures_in_row, len(RETRY_DELAYS)) - 1]
        delay = min(delay, timedelta(hours=source.interval_hours))
        if retry_after:
            delay = max(delay, min(timedelta(seconds=min(retry_after, 10**9)), LONGEST_WAIT))
        source.next_run_at = now + delay
    source.save(update_fields=["failures_in_row", "alerted_at", "last_success_at", "next_run_at"])
    if source.failures_in_row >= ALERT_AFTER and source.alerted_at is None:
        _alert(source, sync_run)


def _alert(source, sync_run):
    """One e-mail to the merchant, until the source works again."""
    shop = source.shop
    language = shop_language(shop)
    with transaction.atomic():
        if not CatalogueSource.objects.filter(pk=source.pk, alerted_at__isnull=True).update(
            alerted_at=timezone.now()
        ):
            return  # another run alerted
        context = {
            "shop": shop.title,
            "source": str(source),
            "url": source.url,
            "failures": source.failures_in_row,
            "message": sync_run.message,
            "admin_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
            + reverse(REPORT, args=[source.pk]),
        }
        for address in shop_addresses(shop):
            enqueue(
                to=address,
                template="catalogue/source_broken",
                context=context,
                language=language,
                reference=f"catalogue-source:{source.pk}",
            )


# Reading the source


def collect(source):
    """Every item of every page of the source, in order."""
    reader = FORMATS[source.kind]
    url, items, seen = reader.first_url(source.url), [], set()
    deadline = timezone.now() + RUN_DEADLINE
    for _page in range(MAX_PAGES):
        if url is None or url in seen:
            break
        if timezone.now() > deadline:
            raise TimedOut(_("The source is too slow: it did not give all its pages in time."))
        seen.add(url)
        page = reader.read(fetch(url))
        items.extend(page.items)
        if len(items) > settings.PORTAL_IMPORT_MAX_ROWS:
            raise SafetyValve(
                _("This source has more than %(max)s products: the portal takes %(max)s at most.")
                % {"max": settings.PORTAL_IMPORT_MAX_ROWS}
            )
        url = page.next_url
    return items


def synchronise(source):
    items = collect(source)
    if not items:
        raise SafetyValve(
            _("The source answered with no product at all: nothing was changed. Is it empty?")
        )
    return apply_items(source, items)


# Writing


def apply_items(source, items):
    """Match the items to the shop's products and write the changes (or raise SafetyValve)."""
    shop = source.shop
    outcome = Outcome()
    mapping = dict(source.category_mappings.values_list("name", "category_id"))
    products = list(shop.products.prefetch_related("images"))
    own = [product for product in products if product.source_id == source.pk]
    by_key = {product.source_key: product for product in own if product.source_key}
    by_sku = {product.sku: product for product in products if product.sku}

    rows, photos, keys, skus, matched, detached = [], {}, {}, {}, set(), 0
    elsewhere = set(
        Product.objects.filter(source=source)
        .exclude(shop=shop)
        .values_list("source_key", flat=True)
    )
    for item in items:
        known = by_key.get(item.source_key)
        if known is not None:
            # Skipped or not, a product still in the source is not gone: it stays as it is.
            matched.add(known.pk)
        if item.source_key in elsewhere:
            _skip(outcome, item, _("This product of the source was moved to another shop."))
            continue
        row = _validate(item, outcome)
        if row is None:
            continue
        if item.source_key in keys:
            _skip(outcome, item, _("Also given as %(where)s.") % {"where": keys[item.source_key]})
            continue
        keys[item.source_key] = item.where
        product = by_key.get(item.source_key)
        holder = by_sku.get(item.sku) if item.sku else None
        if product is None and holder is not None:
            if holder.source_id is None:
                _adopt_later(outcome, item, holder)
                continue
            if holder.source_id == source.pk and not holder.source_key:
                product = holder
        if item.sku and item.sku in skus:
            message = _("The reference %(sku)s is also on %(where)s.")
            _skip(outcome, item, message % {"sku": item.sku, "where": skus[item.sku]})
            continue
        if holder is not None and holder is not product:
            message = _("Another product of the shop has the reference %(sku)s.")
            _skip(outcome, item, message % {"sku": item.sku})
            continue
        if item.sku:
            skus[item.sku] = item.where
        if product is not None:
            matched.add(product.pk)
            if product.detached_from_source:
                outcome.unchanged += 1
                detached += 1
                continue
        _fill(row, item, source, product, mapping)
        rows.append(row)
        photos[id(row)] = item.images[:PHOTOS_PER_PRODUCT]

    waiting = any("adopt" in problem for problem in outcome.problems)
    if not rows and not detached and not waiting:
        raise SafetyValve(
            _("No product of the source could be read: nothing was changed. %(reason)s")
            % {"reason": outcome.problems[0]["reason"]}
        )
    shown = [product for product in own if product.is_active and not product.detached_from_source]
    gone = [product for product in shown if product.pk not in matched]
    # Products the source turned into drafts are hidden too.
    drafts = sum(1 for row in rows if row.existing and row.extra.get("hidden_by_source") is True)
    hiding = len(gone) + drafts
    if hiding and hiding > len(shown) * MOST_HIDDEN:
        raise SafetyValve(
            _(
                "This run would hide %(gone)s of the %(shown)s products shown from this "
                "source: nothing was changed. If they really are gone, hide them by hand."
            )
            % {"gone": hiding, "shown": len(shown)}
        )

    images = _download(source, [url for urls in photos.values() for url in urls], outcome)
    with transaction.atomic():
        if rows:
            plan = importing.Plan(shop=shop, format=source.kind, rows=rows)
            outcome.created, _updated = importing.apply(plan)
        if gone:
            hidden = [product.pk for product in gone]
            outcome.hidden = Product.objects.filter(pk__in=hidden).update(
                is_active=False, hidden_by_source=True, updated_at=timezone.now()
            )
            transaction.on_commit(partial(reindex_products.enqueue, hidden), robust=True)
        with_new_photos = _link_photos(rows, photos, images)
        written = {row.written.pk for row in rows if row.existing and row.written}
        outcome.updated = len(written | with_new_photos)
        outcome.unchanged += sum(
            1 for row in rows if row.existing and row.existing.pk not in written | with_new_photos
        )
        names = {name[:200] for item in items for name in item.categories} - set(mapping)
        SourceCategory.objects.bulk_create(
            [SourceCategory(source=source, name=name) for name in sorted(names)],
            ignore_conflicts=True,
        )
    return outcome


def _skip(outcome, item, reason, **more):
    outcome.skipped += 1
    outcome.problems.append({"where": item.where, "reason": str(reason), **more})


def _adopt_later(outcome, item, product):
    """A product typed by hand has the item's reference: the merchant confirms it once."""
    reason = _(
        "“%(name)s”, typed in the portal, has the same reference %(sku)s: confirm that it is "
        "this product to let the source manage it."
    ) % {"name": product.name, "sku": item.sku}
    _skip(outcome, item, reason, adopt={"product": product.pk, "key": item.source_key})


def _validate(item, outcome):
    """The import's Row for a valid item, the same checks as a file's line; None when the
    item is skipped (its reasons are in the report)."""
    if not item.source_key:
        _skip(outcome, item, _("The source gives no id for this product."))
        return None
    cells = {
        "name": item.name,
        "price": "" if item.price is None else str(item.price),
        "description": item.description,
        "sku": item.sku,
        "availability": item.availability,
    }
    row = importing.validate(0, cells)
    errors = [*item.errors, *row.errors]
    if errors:
        _skip(outcome, item, " ".join(str(error) for error in errors))
        return None
    return row


def _fill(row, item, source, product, mapping):
    """What the source manages of the product; the rest (category, unit, featured) is the
    merchant's, but for the category a new product takes from the merchant's mapping."""
    former = item.former_price
    if former is not None and (former <= row.price or former > importing.PRICE_MAX):
        former = None
    row.extra = {
        "former_price": former,
        "from_price": item.from_price,
        "brand": item.brand[:70],
        "gtin": item.gtin if item.gtin.isdigit() and len(item.gtin) in (8, 12, 13, 14) else "",
        "mpn": item.mpn[:70],
        "source_id": source.pk,
        "source_key": item.source_key[:255],
    }
    row.given = {"name", "price", "short_description", "description", "availability"}
    row.given.update(row.extra)
    if item.sku:
        row.given.add("sku")
    row.existing = product
    if product is None:
        row.is_active = item.is_active
        category = next((mapping[name] for name in item.categories if mapping.get(name)), None)
        row.extra["category_id"] = category
        return
    # Shown or hidden: the source's drafts hide, a product back in the source shows again;
    # a product the merchant hid by hand stays hidden.
    if not item.is_active and product.is_active:
        row.is_active, row.extra["hidden_by_source"] = False, True
        row.given.update({"is_active", "hidden_by_source"})
    elif item.is_active and product.hidden_by_source:
        row.is_active, row.extra["hidden_by_source"] = True, False
        row.given.update({"is_active", "hidden_by_source"})
    if product.category_id is None and "category_id" not in row.given:
        category = next((mapping[name] for name in item.categories if mapping.get(name)), None)
        if category:
            row.extra["category_id"] = category
            row.given.add("category_id")


# Photos: downloaded once per shop (by address, then by content), with an upload's limits.

MAX_DOWNLOADS = 200


def _download(source, urls, outcome):
    """The shop's images for these addresses; a broken photo is reported, the run goes on."""
    shop = source.shop
    urls = list(dict.fromkeys(url for url in urls if url))
    known = {
        remote.url: remote.image
        for remote in RemoteImage.objects.filter(shop=shop, url__in=urls).select_related("image")
    }
    missing = [url for url in urls if url not in known][:MAX_DOWNLOADS]
    if not missing:
        return known
    collection = ensure_shop_access(shop).collection
    field = WagtailImageField()
    for url in missing:
        try:
            body = fetch(url, max_bytes=settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE).body
            digest = hashlib.sha256(body).hexdigest()
            same = RemoteImage.objects.filter(shop=shop, content_hash=digest).first()
            if same is not None:
                image = same.image
            else:
                name = url.rsplit("/", 1)[-1].split("?")[0][:80] or "photo.jpg"
                upload = field.clean(SimpleUploadedFile(name, body))
                image = get_image_model().objects.create(
                    title=name.rsplit(".", 1)[0][:255] or shop.title,
                    file=upload,
                    collection=collection,
                )
                outcome.images += 1
            RemoteImage.objects.create(shop=shop, url=url, content_hash=digest, image=image)
            known[url] = image
        except (FetchError, ValidationError) as error:
            reason = error.messages[0] if isinstance(error, ValidationError) else str(error)
            outcome.problems.append(
                {"where": url, "reason": _("Photo not taken: %(reason)s") % {"reason": reason}}
            )
    return known


def _link_photos(rows, photos, images):
    """Give each written product the source's photos, in order; the ids of the existing
    products whose photos changed. A product whose photos could not all be taken keeps
    the ones it has."""
    changed, old, new = set(), [], []
    for row in rows:
        product = row.written or row.existing
        urls = photos[id(row)]
        if any(url not in images for url in urls):
            continue
        wanted = [images[url].pk for url in urls]
        current = [photo.image_id for photo in product.images.all()] if row.existing else []
        if wanted == current:
            continue
        if row.existing:
            old.append(product.pk)
            changed.add(product.pk)
        new.extend(
            ProductImage(
                product_id=product.pk, image_id=image, alt_text=row.name[:200], sort_order=order
            )
            for order, image in enumerate(wanted)
        )
    ProductImage.objects.filter(product_id__in=old).delete()
    ProductImage.objects.bulk_create(new, batch_size=500)
    # New photos are a change of the product: its feeds' ETag and "updated" follow.
    Product.objects.filter(pk__in=changed).update(updated_at=timezone.now())
    return changed
