from django.utils.text import slugify


def free_slug(name, taken, *, max_length=120, fallback="page"):
    """The slug of `name`, numbered (-2, -3…) until it is not in `taken`, which it joins."""
    base = slugify(name)[:max_length] or fallback
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug
