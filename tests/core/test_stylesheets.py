"""The site's stylesheets: logical properties only (the Arabic layout flips with
``dir``), and the Arabic font served from the site itself."""

import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

CSS_DIR = Path(settings.BASE_DIR) / "static" / "css"
TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"

# Physical properties and values that should flip in right-to-left pages.
PHYSICAL = re.compile(
    r"(?<![\w-])(margin|padding|border)-(left|right)\b"
    r"|(?<![\w-])(left|right)\s*:"
    r"|text-align\s*:\s*(left|right)"
    r"|float\s*:\s*(left|right)"
    r"|clear\s*:\s*(left|right)"
    r"|border-(top|bottom)-(left|right)-radius"
)


def test_stylesheets_use_logical_properties_only():
    offenders = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(CSS_DIR.glob("*.css"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if PHYSICAL.search(line.split("/*")[0])
    ]

    assert offenders == []


def test_inline_styles_in_templates_use_logical_properties_only():
    offenders = [
        f"{path.relative_to(TEMPLATES_DIR)}: {match.group(0)}"
        for path in sorted(TEMPLATES_DIR.rglob("*.html"))
        # Certificates are printed pages with their own two-column layout.
        if "certificates/pdf" not in str(path)
        for match in re.finditer(r'style="[^"]*"', path.read_text())
        if PHYSICAL.search(match.group(0))
    ]

    assert offenders == []


def test_arabic_font_is_served_from_the_site_for_arabic_script_only():
    css = (CSS_DIR / "site.css").read_text()
    faces = re.findall(r"@font-face\s*{([^}]*)}", css)

    assert len(faces) == 2  # regular and bold
    for face in faces:
        url = re.search(r'url\("\.\./([^"]+)"\)', face).group(1)
        assert finders.find(url), f"{url} is not a static file"
        assert "U+0600-06FF" in face  # the Arabic block, not Latin
        assert "U+0000" not in face and "U+0020" not in face
        assert "//" not in url  # from this site, never a CDN
    assert re.search(r'font-family:\s*"Tadreeb Naskh"', css)
