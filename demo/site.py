"""The demo site: home page and site settings, for ``manage.py load_demo``."""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Page, Site

from core.models import HomePage, SiteSettings


def _plain(value):
    """A field's value as plain data: StreamField values without their block ids,
    so that a stored body compares equal to the fixture it came from."""
    raw = getattr(value, "raw_data", None)
    if raw is not None:
        value = list(raw)
    if isinstance(value, list):
        return [{"type": b["type"], "value": b["value"]} for b in value]
    return value


@transaction.atomic
def load_site(data: dict) -> HomePage:
    """Create or update the home page, make it the site root, remove Wagtail's
    welcome page, and fill in the site settings."""
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        # Wagtail's own "Welcome to your new Wagtail site!" page has the slug we
        # want; it is a plain Page and nothing points to it but the default Site.
        for page in root.get_children().filter(slug="home"):
            if page.specific_class is Page:
                Site.objects.filter(root_page=page).update(root_page=root)
                page.delete()
        home = HomePage(slug="home", **data["home"])
        root.add_child(instance=home)
        home.save_revision().publish()
    else:
        changed = [
            f for f, v in data["home"].items() if _plain(getattr(home, f)) != _plain(v)
        ]
        if changed:
            for field in changed:
                setattr(home, field, data["home"][field])
            home.save_revision().publish()

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Tadreeb",
        )
    elif site.root_page_id != home.pk or site.site_name != "Tadreeb":
        site.root_page = home
        site.site_name = "Tadreeb"
        site.save()

    site_settings = SiteSettings.load()
    changed = False
    for field, value in data["settings"].items():
        if getattr(site_settings, field) != value:
            setattr(site_settings, field, value)
            changed = True
    if changed:
        site_settings.save()
    return home
