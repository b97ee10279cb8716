"""Pictures for the demo, drawn with Pillow: no network, a few kilobytes each.

Drawing is the slow part of seeding on a small machine, so the demo draws a small pool
(one product picture and one shop front per kind of shop, a few logos, the hero and the
campaign banner) and every product and shop reuses it.
"""

import io
import math
import unicodedata
from functools import cache

from PIL import Image, ImageDraw, ImageFont

WHITE = (255, 255, 255)
PRODUCT_SIZE = (480, 360)


def _rgb(hex_colour):
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def _mix(colour, other, share):
    return tuple(round(a + (b - a) * share) for a, b in zip(colour, other, strict=True))


@cache
def _font(size):
    """A font with accented letters if the system has one, else Pillow's own (ASCII only)."""
    for name in ("DejaVuSans.ttf", "LiberationSans-Regular.ttf"):
        try:
            return ImageFont.truetype(name, size), True
        except OSError:
            continue
    return ImageFont.load_default(size=size), False


def _text(draw, centre, text, size):
    font, has_accents = _font(size)
    if not has_accents:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    draw.text(centre, text, font=font, fill=WHITE, anchor="mm")


def _png(image):
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _polygon(centre, radius, points, rotation=-math.pi / 2, inner=None):
    cx, cy = centre
    vertices = []
    steps = points * 2 if inner else points
    for step in range(steps):
        r = inner if inner and step % 2 else radius
        angle = rotation + 2 * math.pi * step / steps
        vertices.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    return vertices


def _shape(draw, shape, centre, radius, fill):
    cx, cy = centre
    box = (cx - radius, cy - radius, cx + radius, cy + radius)
    if shape == "circle":
        draw.ellipse(box, fill=fill)
    elif shape == "triangle":
        draw.polygon(_polygon(centre, radius, 3), fill=fill)
    elif shape == "diamond":
        draw.polygon(_polygon(centre, radius, 4), fill=fill)
    elif shape == "hexagon":
        draw.polygon(_polygon(centre, radius, 6, rotation=0), fill=fill)
    elif shape == "star":
        draw.polygon(_polygon(centre, radius, 5, inner=radius * 0.45), fill=fill)
    elif shape == "cross":
        arm = radius / 3
        draw.rectangle((cx - arm, cy - radius, cx + arm, cy + radius), fill=fill)
        draw.rectangle((cx - radius, cy - arm, cx + radius, cy + arm), fill=fill)
    elif shape == "flower":
        petal = radius / 2
        for step in range(6):
            angle = 2 * math.pi * step / 6
            px, py = cx + petal * math.cos(angle), cy + petal * math.sin(angle)
            draw.ellipse((px - petal, py - petal, px + petal, py + petal), fill=fill)
    elif shape == "moon":  # the caller cuts the crescent out with its background colour
        draw.ellipse(box, fill=fill)
    elif shape == "book":
        draw.rectangle((cx - radius, cy - radius * 0.7, cx - 4, cy + radius * 0.7), fill=fill)
        draw.rectangle((cx + 4, cy - radius * 0.7, cx + radius, cy + radius * 0.7), fill=fill)
    elif shape == "bottle":
        neck = radius / 5
        draw.rectangle((cx - neck, cy - radius, cx + neck, cy - radius * 0.3), fill=fill)
        draw.rounded_rectangle(
            (cx - radius / 2, cy - radius * 0.4, cx + radius / 2, cy + radius), 18, fill=fill
        )
    elif shape == "jar":
        draw.rectangle(
            (cx - radius * 0.55, cy - radius, cx + radius * 0.55, cy - radius * 0.75), fill=fill
        )
        draw.rounded_rectangle(
            (cx - radius * 0.7, cy - radius * 0.65, cx + radius * 0.7, cy + radius), 24, fill=fill
        )
    elif shape == "leaf":
        draw.ellipse((cx - radius * 0.55, cy - radius, cx + radius * 0.55, cy + radius), fill=fill)
    else:  # square
        draw.rounded_rectangle(box, radius // 5, fill=fill)


def product_picture(colour, shape, label):
    """A coloured card with the kind's shape and its name: stands in for a product photo."""
    base = _rgb(colour)
    image = Image.new("RGB", PRODUCT_SIZE, base)
    draw = ImageDraw.Draw(image)
    light = _mix(base, WHITE, 0.35)
    _shape(draw, shape, (240, 150), 100, light)
    if shape == "moon":  # the crescent: cut the circle with the background colour
        draw.ellipse((185, 85, 385, 285), fill=base)
    _text(draw, (240, 315), label, 38)
    return _png(image)


def shop_front(colour, label):
    """A shop front: a wall, a striped awning in the kind's colour, a window and a door."""
    base = _rgb(colour)
    image = Image.new("RGB", PRODUCT_SIZE, (214, 228, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 300, 480, 360), fill=(170, 170, 165))  # pavement
    draw.rectangle((40, 40, 440, 300), fill=(236, 224, 205))  # wall
    draw.rectangle((40, 40, 440, 100), fill=base)  # sign
    _text(draw, (240, 70), label, 32)
    stripe = _mix(base, WHITE, 0.75)
    for number, left in enumerate(range(40, 440, 40)):
        draw.polygon(
            ((left, 100), (left + 40, 100), (left + 46, 140), (left - 6, 140)),
            fill=base if number % 2 == 0 else stripe,
        )
    draw.rectangle((70, 160, 290, 280), fill=(150, 190, 215), outline=(90, 90, 90), width=4)
    draw.rectangle((320, 160, 410, 300), fill=_mix(base, (0, 0, 0), 0.3))
    draw.ellipse((390, 225, 400, 235), fill=(230, 200, 90))
    return _png(image)


def logo(colour, initials):
    base = _rgb(colour)
    image = Image.new("RGB", (240, 240), WHITE)
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 230, 230), fill=base)
    draw.ellipse((24, 24, 216, 216), outline=_mix(base, WHITE, 0.5), width=4)
    _text(draw, (120, 122), initials, 80)
    return _png(image)


def hero(colour, town):
    """A town skyline with its belfry, for the home page."""
    base = _rgb(colour)
    image = Image.new("RGB", (960, 480), _mix(base, WHITE, 0.8))
    draw = ImageDraw.Draw(image)
    draw.ellipse((700, 50, 800, 150), fill=(250, 214, 110))  # sun
    roofs = _mix(base, WHITE, 0.25)
    for left, width, height in (
        (0, 140, 170),
        (130, 110, 210),
        (230, 150, 160),
        (560, 130, 190),
        (680, 160, 150),
        (830, 130, 200),
    ):
        top = 480 - height
        draw.rectangle((left, top, left + width, 480), fill=roofs)
        draw.polygon(((left, top), (left + width / 2, top - 50), (left + width, top)), fill=base)
    # The belfry.
    draw.rectangle((410, 150, 530, 480), fill=base)
    draw.polygon(((400, 150), (470, 40), (540, 150)), fill=_mix(base, (0, 0, 0), 0.3))
    draw.ellipse((440, 190, 500, 250), fill=WHITE)
    draw.line((470, 220, 470, 198), fill=base, width=4)
    draw.line((470, 220, 486, 220), fill=base, width=4)
    draw.rectangle((0, 400, 960, 480), fill=_mix(base, (0, 0, 0), 0.2))
    _text(draw, (480, 440), town, 44)
    return _png(image)


def christmas_banner(text):
    image = Image.new("RGB", (960, 360), (20, 70, 45))
    draw = ImageDraw.Draw(image)
    for number in range(40):
        x, y = (number * 137) % 960, (number * 71) % 300
        draw.polygon(_polygon((x, y), 9, 5, inner=4), fill=(250, 220, 120))
    for left in (90, 780):
        for level in range(3):
            top = 80 + level * 60
            draw.polygon(
                (
                    (left, top),
                    (left - 60 - level * 10, top + 90),
                    (left + 60 + level * 10, top + 90),
                ),
                fill=(40, 130, 70),
            )
        draw.rectangle((left - 12, 260, left + 12, 300), fill=(110, 70, 40))
    draw.rectangle((0, 300, 960, 360), fill=(160, 30, 40))
    draw.rectangle((150, 140, 810, 215), fill=(120, 20, 30))
    _text(draw, (480, 178), text, 48)
    return _png(image)
