"""The picture a chat app shows beside a campaign's link (Open Graph): the title, the target and the counter (Pillow)."""

from __future__ import annotations

import io
from pathlib import Path

from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]
INK, PAPER, ACCENT = (27, 27, 27), (255, 255, 255), (164, 22, 26)


def _font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size=size)  # Pillow's own font, where DejaVu is not installed


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int, max_lines: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(".,;:") + "…"
    return lines


def share_image_png(*, title: str, targets: list[str], actions: int, goal: int | None = None) -> bytes:
    """A 1200 by 630 PNG: the campaign's title, who it addresses and how many have acted."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 24), fill=ACCENT)
    margin, y = 64, 72
    title_font = _font(64, bold=True)
    for line in _wrap(draw, title, title_font, WIDTH - 2 * margin, 4):
        draw.text((margin, y), line, font=title_font, fill=INK)
        y += 80
    if targets:
        target_font = _font(36)
        to = _("To: %(names)s") % {"names": ", ".join(targets)}
        for line in _wrap(draw, to, target_font, WIDTH - 2 * margin, 2):
            draw.text((margin, y + 16), line, font=target_font, fill=INK)
            y += 48
    counter_font = _font(52, bold=True)
    counter = _("%(n)s actions so far") % {"n": f"{actions:,}"}
    if goal:
        counter = _("%(n)s of %(goal)s actions") % {"n": f"{actions:,}", "goal": f"{goal:,}"}
    draw.text((margin, HEIGHT - 150), counter, font=counter_font, fill=ACCENT)
    if goal:
        left, top, right = margin, HEIGHT - 70, WIDTH - margin
        draw.rectangle((left, top, right, top + 20), outline=INK, width=2)
        draw.rectangle((left, top, left + int((right - left) * min(1, actions / goal)), top + 20), fill=ACCENT)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
