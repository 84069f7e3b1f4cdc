"""The registry's small reference tables (categories, target groups) from the process's reference cache
(core/refcache.py): read on nearly every registry and finder page. Do not change the objects."""

from samverka.core import refcache

from .models import Category, TargetGroup


def categories_cached() -> list[Category]:
    """The category taxonomy by code."""
    return refcache.cached("registry.categories", lambda: list(Category.objects.order_by("code")))


def target_groups_cached() -> list[TargetGroup]:
    """The target groups by code."""
    return refcache.cached("registry.target_groups", lambda: list(TargetGroup.objects.order_by("code")))
