"""Build, or complete, the demo town in the database.

Every step looks up what already exists (by slug, title or username) before creating
anything, so a second run creates nothing, saves nothing and is quick. What to create is
decided in plans.py; the words are in content.py and data.py.
"""

import hashlib
import io
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from html import escape

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.images import get_image_model
from wagtail.models import ReferenceIndex, Site

from home.models import (
    CampaignPage,
    CampaignProduct,
    CampaignShop,
    HomePage,
    HomePageFeaturedProduct,
    HomePageFeaturedShop,
    PortalSettings,
    StandardPage,
)
from merchants.models import (
    Closure,
    MerchantApplication,
    MerchantIndexPage,
    MerchantPage,
    Neighbourhood,
    OpeningHours,
    ShopCategory,
    ShopGalleryImage,
    ShopMembership,
)
from merchants.ownership import CITY_EDITORS_GROUP
from merchants.roles import ensure_city_editors_group
from products.indexing import reindex
from products.models import Availability, Product, ProductCategory, ProductImage

from . import calendar, collection_points, content, news
from .courier_round import seed_courier
from .data import (
    HOURS,
    KINDS,
    LEGAL_FORMS,
    MAIL_DOMAIN,
    NEIGHBOURHOODS,
    PICKUP_INSTRUCTIONS,
    PORTAL_NAME,
    POSTCODES,
    TOWN,
)
from .plans import (
    BANNER_TITLE,
    HERO_TITLE,
    SEED,
    SIZES,
    TOWN_LOGO_TITLE,
    company_number,
    front_image_title,
    image_pool_specs,
    logo_title,
    phone_number,
    plan_products,
    plan_shops,
    product_image_title,
)

# What the data migration put on the home page; replaced, anything else is kept.
MIGRATION_HERO_TITLE = "Les commerces de la ville, à deux pas de chez vous"
CHUNK = 1000


@dataclass
class Login:
    username: str
    role: str
    password_ok: bool


@dataclass
class Result:
    created: Counter
    logins: list[Login]
    password: str
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)

    def summary(self):
        created = self.created
        return (
            f"created {created['shops']} shops, {created['products']} products, "
            f"{created['images']} images, {created['pages']} other pages, "
            f"{created['users']} users in {self.seconds:.1f} s"
        )

    def login_lines(self):
        # make run and make serve set the address they serve (and the default site's).
        base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        lines = [
            f"Site: {base_url}/",
            f"Admin: {base_url}/admin/",
            "Log-ins (username / password / role):",
        ]
        for login in self.logins:
            password = self.password if login.password_ok else "(changed since the demo set it)"
            lines.append(f"  {login.username:<10} {password:<12} {login.role}")
        return lines


def _fee_text(amount):
    return f"{amount:.2f}".replace(".", ",") + " €"


def _percent_text(rate):
    text = f"{rate.normalize():f}".replace(".", ",")
    return f"{text} %"


# The seeder ---------------------------------------------------------------------------


class DemoSeeder:
    def __init__(self, size="normal", password="demo", log=None):
        self.size = SIZES[size]
        self.password = password
        self.log = log or (lambda message: None)
        self.today = timezone.localdate()
        self.created = Counter()
        self.timings = {}
        self.new_shop_ids = []
        self.new_product_ids = []

    def run(self):
        started = time.monotonic()
        plans = plan_shops(self.size.shops)
        with transaction.atomic():
            site = self._step("site", self.default_site)
            portal_settings = PortalSettings.for_site(site)
            taxonomy = self._step("taxonomy", self.ensure_taxonomy)
            pool = self._step("images", self.ensure_images, plans)
            home = HomePage.objects.get(depth=2)
            shop_index = self._step("shop index", self.ensure_shop_index, home)
            shops = self._step("shops", self.ensure_shops, shop_index, plans, taxonomy, pool)
            self._step("products", self.ensure_products, shops, taxonomy, pool)
            pages = self._step(
                "content pages", self.ensure_content_pages, home, shop_index, portal_settings
            )
            self._step("campaign", self.ensure_campaign, home, shops, pool)
            self._step("calendar", self.ensure_calendar, home, shops)
            self._step("news", self.ensure_news, shops)
            self._step("home page", self.ensure_home, home, shops, pages, pool, portal_settings)
            self._step("settings", self.ensure_settings, site, portal_settings, pages, pool)
            logins = self._step("users", self.ensure_users, shops)
            logins.append(self._step("courier", seed_courier, self.password))
            logins.append(
                Login(*self._step("collection point", collection_points.ensure, shops, self))
            )
            self._step("applications", self.ensure_applications, taxonomy)
        self._step("search index", self.update_search_index)
        return Result(
            created=self.created,
            logins=logins,
            password=self.password,
            seconds=time.monotonic() - started,
            timings=self.timings,
        )

    def _step(self, name, function, *args):
        started = time.monotonic()
        result = function(*args)
        self.timings[name] = time.monotonic() - started
        self.log(f"{name}: {self.timings[name]:.1f} s")
        return result

    # Site, categories, neighbourhoods ------------------------------------------------

    def default_site(self):
        site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
        if site is None:
            raise RuntimeError("No Wagtail site: run the migrations first.")
        return site

    def _ensure_named(self, model, entries):
        """{name: object} for (name, extra fields) entries, creating the missing ones."""
        existing = list(model.objects.all())
        by_slug = {obj.slug: obj for obj in existing}
        by_name = {obj.name: obj for obj in existing}
        result = {}
        for name, extra in entries:
            slug = slugify(name)
            obj = by_slug.get(slug) or by_name.get(name)
            if obj is None:
                obj = model.objects.create(name=name, slug=slug, **extra)
                self.created["categories"] += 1
            result[name] = obj
        return result

    def ensure_taxonomy(self):
        product_categories = dict.fromkeys(item.category for kind in KINDS for item in kind.items)
        return {
            "kinds": self._ensure_named(
                ShopCategory, [(kind.name, {"icon": kind.icon}) for kind in KINDS]
            ),
            "quarters": self._ensure_named(
                Neighbourhood, [(quarter.name, {}) for quarter in NEIGHBOURHOODS]
            ),
            "products": self._ensure_named(
                ProductCategory, [(name, {}) for name in product_categories]
            ),
        }

    # Images ------------------------------------------------------------------------

    def ensure_images(self, plans):
        Image = get_image_model()
        specs = image_pool_specs(plans)
        pool = {}
        for image in Image.objects.filter(title__in=list(specs)).order_by("pk"):
            pool.setdefault(image.title, image)
        for title, (draw, alt, filename) in specs.items():
            if title in pool:
                continue
            data = draw()
            image = Image(
                title=title,
                description=alt,
                file=ImageFile(io.BytesIO(data), name=filename),
                file_size=len(data),
                file_hash=hashlib.sha1(data).hexdigest(),
            )
            image.save()
            pool[title] = image
            self.created["images"] += 1
        return pool

    # Shops -------------------------------------------------------------------------

    def ensure_shop_index(self, home):
        shop_index = MerchantIndexPage.objects.first()
        if shop_index is None:
            shop_index = MerchantIndexPage(
                title="Commerces",
                slug="commerces",
                intro=f"Tous les commerces de {TOWN} : choisissez une catégorie ou un quartier, "
                "ou voyez qui est ouvert maintenant.",
            )
            home.add_child(instance=shop_index)
            shop_index.save_revision().publish()
            self.created["pages"] += 1
        return shop_index

    def ensure_shops(self, shop_index, plans, taxonomy, pool):
        """[(plan, shop)] for the demo's shops, creating the missing ones."""
        existing = {
            page.slug: page
            for page in MerchantPage.objects.child_of(shop_index).only(
                "id", "slug", "title", "order_email"
            )
        }
        shops = []
        for plan in plans:
            page = existing.get(plan.slug)
            if page is None:
                page = self.create_shop(shop_index, plan, taxonomy, pool)
                self.new_shop_ids.append(page.pk)
                self.created["shops"] += 1
            elif page.order_email != plan.order_email:
                # Somebody else's page has the demo's slug: leave it and its products alone.
                self.log(f"skipped {plan.slug}: a page that is not from the demo has this slug")
                continue
            shops.append((plan, page))
        return shops

    def create_shop(self, shop_index, plan, taxonomy, pool):
        rng = random.Random(f"{SEED}:shop:{plan.slug}")
        kind, quarter = plan.kind, plan.quarter
        street = f"{rng.choice(quarter.streets)} {rng.randint(1, 120)}"
        latitude = quarter.centre[0] + rng.uniform(-0.0025, 0.0025)
        longitude = quarter.centre[1] + rng.uniform(-0.004, 0.004)
        delivers = kind.slug != "night-shop" and rng.random() < 0.55
        postcodes = ""
        delivery_fee = None
        if delivers:
            codes = POSTCODES if rng.random() < 0.5 else ("7000", quarter.postcode)
            postcodes = ", ".join(dict.fromkeys(codes))
            delivery_fee = rng.choice(
                (None, None, Decimal("3.50"), Decimal("4.00"), Decimal("0.00"))
            )
        services = "Commandez en ligne et passez retirer vos achats au comptoir."
        if delivers:
            services += f" Livraison à domicile dans les codes postaux {postcodes}."
        page = MerchantPage(
            title=plan.name,
            slug=plan.slug,
            tagline=kind.taglines[plan.rank % len(kind.taglines)],
            logo=pool.get(logo_title(plan)),
            description=[
                content.paragraph(f"<p>{escape(kind.about, quote=False)}</p>"),
                content.paragraph(
                    f"<p>{escape(plan.name, quote=False)} vous accueille {quarter.where}, "
                    f"{escape(street, quote=False)}. {services}</p>"
                ),
            ],
            neighbourhood=taxonomy["quarters"][quarter.name],
            street_address=street,
            postcode=quarter.postcode,
            town=TOWN,
            latitude=Decimal(f"{latitude:.6f}"),
            longitude=Decimal(f"{longitude:.6f}"),
            phone=phone_number(rng),
            public_email=f"bonjour@{plan.slug}.example",
            order_email=plan.order_email,
            website=f"https://{plan.slug}.example/" if plan.number % 3 == 0 else "",
            facebook_url=(
                f"https://www.facebook.com/{plan.slug.replace('-', '')}"
                if plan.number % 2 == 0
                else ""
            ),
            legal_name=f"{plan.name} {rng.choice(LEGAL_FORMS)}",
            company_number=company_number(rng),
            offers_pickup=True,
            pickup_instructions=rng.choice(PICKUP_INSTRUCTIONS),
            offers_delivery=delivers,
            delivery_fee=delivery_fee,
            delivery_postcodes=postcodes,
        )
        page.categories.set([taxonomy["kinds"][kind.name]])
        pattern = HOURS[kind.hours[plan.rank % len(kind.hours)]]
        for weekdays, ranges in pattern:
            for weekday in weekdays:
                for opens, closes in ranges:
                    page.opening_hours.add(
                        OpeningHours(weekday=weekday, opens=opens, closes=closes)
                    )
        for starts_on, ends_on, reason in self.closures_for(plan):
            page.closures.add(Closure(starts_on=starts_on, ends_on=ends_on, reason=reason))
        page.gallery_images.add(
            ShopGalleryImage(
                image=pool[front_image_title(kind)],
                alt_text=f"Devanture de {plan.name}",
                sort_order=0,
            )
        )
        if plan.number % 2 == 0:
            page.gallery_images.add(
                ShopGalleryImage(
                    image=pool[product_image_title(kind)],
                    alt_text=f"Illustration des produits de {plan.name}",
                    sort_order=1,
                )
            )
        shop_index.add_child(instance=page)
        page.save_revision().publish()
        return page

    def closures_for(self, plan):
        """A few shops close exceptionally: holidays, an inventory day, building works."""
        today, number = self.today, plan.number
        closures = []
        if number % 15 == 4:
            starts_on = today + timedelta(days=14 + number % 10)
            closures.append((starts_on, starts_on + timedelta(days=13), "Congés annuels"))
        if number % 15 == 9:
            day = today + timedelta(days=3 + number % 5)
            closures.append((day, day, "Inventaire"))
        if number % 23 == 11:
            # Closed right now, so the "closed" status shows on the first visit.
            closures.append((today - timedelta(days=2), today + timedelta(days=3), "Travaux"))
        return closures

    # Products ----------------------------------------------------------------------

    def ensure_products(self, shops, taxonomy, pool):
        existing = set(
            Product.objects.filter(shop_id__in=[page.pk for _plan, page in shops]).values_list(
                "shop_id", "slug"
            )
        )
        new, image_for = [], {}
        for plan, page in shops:
            count = self.size.products_per_shop(plan.number)
            for item in plan_products(plan, count):
                if (page.pk, item.slug) in existing:
                    continue
                delivery = " ou faites-vous livrer" if page.offers_delivery else ""
                product = Product(
                    shop=page,
                    name=item.name,
                    slug=item.slug,
                    sku=item.sku,
                    short_description=item.note,
                    description=(
                        f"<p>{escape(item.note, quote=False)} Proposé par "
                        f"{escape(plan.name, quote=False)} : retrait en boutique{delivery}.</p>"
                    ).replace("<p> ", "<p>"),
                    price=item.price,
                    former_price=item.former_price,
                    unit_label=item.unit,
                    category=taxonomy["products"][item.category],
                    availability=item.availability,
                    is_active=item.is_active,
                    is_featured=item.is_featured,
                )
                new.append(product)
                image_for[id(product)] = pool[product_image_title(plan.kind)]
        if not new:
            return
        Product.objects.bulk_create(new, batch_size=CHUNK)
        if any(product.pk is None for product in new):  # a database that returns no ids
            ids = {
                (shop_id, slug): pk
                for shop_id, slug, pk in Product.objects.filter(
                    shop_id__in={p.shop_id for p in new}
                ).values_list("shop_id", "slug", "pk")
            }
            for product in new:
                product.pk = ids[(product.shop_id, product.slug)]
        ProductImage.objects.bulk_create(
            [
                ProductImage(
                    product=product,
                    image=image_for[id(product)],
                    alt_text=f"Illustration : {product.name}",
                    sort_order=0,
                )
                for product in new
            ],
            batch_size=CHUNK,
        )
        self.new_product_ids = [product.pk for product in new]
        self.created["products"] += len(new)
        # bulk_create sends no signal: record which images the products use, so the
        # admin's "usage" of an image and its delete warning count them.
        for start in range(0, len(self.new_product_ids), CHUNK):
            chunk = self.new_product_ids[start : start + CHUNK]
            for product in Product.objects.filter(pk__in=chunk).prefetch_related("images"):
                ReferenceIndex.create_or_update_for_object(product)

    # Pages -------------------------------------------------------------------------

    def ensure_content_pages(self, home, shop_index, portal_settings):
        fee = _fee_text(portal_settings.default_delivery_fee)
        commission = _percent_text(portal_settings.commission_rate)
        builders = [
            ("faq", lambda ids: content.faq_page(fee, commission)),
            ("how", lambda ids: content.how_it_works_page(fee, shop_index.pk, ids["faq"].pk)),
            ("privacy", lambda ids: content.privacy_page()),
            ("legal", lambda ids: content.legal_page()),
            ("accessibility", lambda ids: content.accessibility_page(self.today)),
        ]
        slugs = {
            "faq": "questions-frequentes",
            "how": "comment-ca-marche",
            "privacy": "vie-privee",
            "legal": "mentions-legales",
            "accessibility": "accessibilite",
        }
        existing = {page.slug: page for page in home.get_children().filter(slug__in=slugs.values())}
        pages = {}
        for key, build in builders:
            page = existing.get(slugs[key])
            if page is None:
                fields = build(pages)
                page = StandardPage(**fields)
                home.add_child(instance=page)
                page.save_revision().publish()
                self.created["pages"] += 1
            pages[key] = page
        return pages

    def ensure_campaign(self, home, shops, pool):
        if home.get_children().filter(slug=content.CAMPAIGN_SLUG).exists():
            return
        # Dates are set once, around the day of creation; a later run leaves them alone.
        starts_on = self.today - timedelta(days=30)
        ends_on = self.today + timedelta(days=60)
        page = CampaignPage(
            title=content.CAMPAIGN_TITLE,
            slug=content.CAMPAIGN_SLUG,
            banner=pool[BANNER_TITLE],
            intro=content.campaign_intro(starts_on, ends_on),
            starts_on=starts_on,
            ends_on=ends_on,
        )
        preferred = (
            "chocolatier",
            "boulangerie-patisserie",
            "librairie",
            "jouets",
            "caviste",
            "fleuriste",
            "epicerie-fine",
            "fromagerie",
        )
        first_of_kind = {}
        for plan, shop in shops:
            first_of_kind.setdefault(plan.kind.slug, shop)
        chosen = [first_of_kind[slug] for slug in preferred if slug in first_of_kind][:6]
        for shop in chosen:
            page.shops.add(CampaignShop(shop=shop))
        for product in self._showcase_products(chosen, per_shop=2, limit=8):
            page.products.add(CampaignProduct(product=product))
        home.add_child(instance=page)
        page.save_revision().publish()
        self.created["pages"] += 1
        for words in content.CAMPAIGN_SEARCHES:
            query, _created = Query.objects.get_or_create(query_string=words)
            SearchPromotion.objects.create(
                query=query, page=page, description=content.CAMPAIGN_PROMOTION
            )

    def ensure_calendar(self, home, shops):
        self.created["pages"] += calendar.ensure_calendar(home, [s for _p, s in shops], self.today)

    def ensure_news(self, shops):
        self.created["news items"] += news.ensure_news(shops)

    def _showcase_products(self, shops, per_shop, limit):
        """Visible products, spread over `shops` in turn, featured ones first."""
        by_shop = {shop.pk: [] for shop in shops}
        candidates = Product.objects.filter(
            shop__in=shops, is_active=True, availability=Availability.IN_STOCK
        ).order_by("-is_featured", "pk")
        for product in candidates:
            if len(by_shop[product.shop_id]) < per_shop:
                by_shop[product.shop_id].append(product)
        chosen = []
        for turn in range(per_shop):
            for products in by_shop.values():
                if turn < len(products) and len(chosen) < limit:
                    chosen.append(products[turn])
        return chosen

    def ensure_home(self, home, shops, pages, pool, portal_settings):
        """Fill what the home page lacks; what an editor has set stays as it is."""
        home = HomePage.objects.get(pk=home.pk)
        changed = False
        if home.hero_title in ("", MIGRATION_HERO_TITLE):
            home.hero_title = content.HERO_TITLE
            changed = True
        if not home.hero_text:
            home.hero_text = content.HERO_TEXT
            changed = True
        if home.hero_image_id is None:
            home.hero_image = pool[HERO_TITLE]
            changed = True
        if not home.how_it_works:
            fee = _fee_text(portal_settings.default_delivery_fee)
            home.how_it_works = content.how_it_works_steps(fee)
            changed = True
        if home.how_it_works_page_id is None:
            home.how_it_works_page = pages["how"]
            changed = True
        if not home.featured_shops.exists():
            first_of_kind = {}
            for plan, shop in shops:
                first_of_kind.setdefault(plan.kind.slug, shop)
            featured = list(first_of_kind.values())[:6]
            for shop in featured:
                home.featured_shops.add(HomePageFeaturedShop(shop=shop))
            changed = True
        if not home.featured_products.exists():
            first_shops = [shop for _plan, shop in shops[:8]]
            for product in self._showcase_products(first_shops, per_shop=2, limit=8):
                home.featured_products.add(HomePageFeaturedProduct(product=product))
            changed = True
        if changed:
            home.save_revision().publish()

    def ensure_settings(self, site, portal_settings, pages, pool):
        wanted = {
            "town_name": TOWN,
            "logo": pool[TOWN_LOGO_TITLE],
            "contact_email": content.CITY_EMAIL,
            "contact_phone": content.CITY_PHONE,
            "contact_address": content.CITY_ADDRESS,
            "privacy_page": pages["privacy"],
            "legal_page": pages["legal"],
            "accessibility_page": pages["accessibility"],
            "facebook_url": content.FACEBOOK_URL,
        }
        changed = []
        for name, value in wanted.items():
            current = getattr(portal_settings, name)
            if current in (None, "") or (name == "town_name" and current == "Ma ville"):
                setattr(portal_settings, name, value)
                changed.append(name)
        if changed:
            portal_settings.save()
        if not site.site_name:
            site.site_name = PORTAL_NAME
            site.save(update_fields=["site_name"])

    # Users -------------------------------------------------------------------------

    def ensure_users(self, shops):
        User = get_user_model()
        group = Group.objects.filter(name=CITY_EDITORS_GROUP).first() or ensure_city_editors_group()
        access_admin = Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
        first_of_kind = {}
        for plan, shop in shops:
            first_of_kind.setdefault(plan.kind.slug, shop)
        accounts = [
            ("admin", "superuser", {"is_staff": True, "is_superuser": True}, None),
            ("ville", f'city editor (group "{CITY_EDITORS_GROUP}")', {}, None),
            ("boulanger", "merchant", {}, first_of_kind.get("boulangerie-patisserie")),
            ("fleuriste", "merchant", {}, first_of_kind.get("fleuriste")),
        ]
        names = {
            "admin": ("Alex", "Martin"),
            "ville": ("Camille", "Lambert"),
            "boulanger": ("Thomas", "Renard"),
            "fleuriste": ("Sophie", "Leclercq"),
        }
        logins = []
        for username, role, flags, shop in accounts:
            user = User.objects.filter(username=username).first()
            created = user is None
            if created:
                first_name, last_name = names[username]
                user = User.objects.create_user(
                    username=username,
                    email=f"{username}@{MAIL_DOMAIN}",
                    password=self.password,
                    first_name=first_name,
                    last_name=last_name,
                    **flags,
                )
                self.created["users"] += 1
            if username == "ville" and not user.groups.filter(pk=group.pk).exists():
                user.groups.add(group)
            if shop is not None:
                if not user.user_permissions.filter(pk=access_admin.pk).exists():
                    user.user_permissions.add(access_admin)
                ShopMembership.objects.get_or_create(user=user, shop=shop)
                role = f'merchant of "{shop.title}"'
            logins.append(Login(username, role, created or user.check_password(self.password)))
        return logins

    # Shops asking to join --------------------------------------------------------------

    APPLICATIONS = [
        {
            "shop_name": "La Fromagerie du Beffroi",
            "contact_name": "Julie Marchal",
            "email": "julie.marchal@example.be",
            "phone": "065 44 12 90",
            "street_address": "Rue du Beffroi 14",
            "message": "Fromages affinés sur place ; nous livrons déjà quelques clients.",
            "offers_delivery": True,
        },
        {
            "shop_name": "Atelier Vélo Solidaire",
            "contact_name": "Karim Benali",
            "email": "karim.benali@example.be",
            "phone": "0478 21 33 09",
            "street_address": "Quai de la Gare 3",
            "message": "Réparation et vente de vélos d'occasion.",
            "offers_delivery": False,
        },
    ]

    def ensure_applications(self, taxonomy):
        """Two pending applications, so that the review can be tried (demo only)."""
        first_kind = next(iter(taxonomy["kinds"].values()))
        for fields in self.APPLICATIONS:
            application, created = MerchantApplication.objects.get_or_create(
                shop_name=fields["shop_name"],
                defaults={**fields, "postcode": "7000", "town": "Valbourg"},
            )
            if created:
                application.categories.set([first_kind])
                self.created["applications"] += 1

    # Search ------------------------------------------------------------------------

    def update_search_index(self):
        """Index what bulk_create added (it sends no signal), in chunks, once."""
        reindex(Product.objects.select_related("shop", "category"), self.new_product_ids)
        reindex(
            MerchantPage.objects.select_related("neighbourhood").prefetch_related("categories"),
            self.new_shop_ids,
        )


def seed_demo(size="normal", password="demo", log=None):
    return DemoSeeder(size=size, password=password, log=log).run()
