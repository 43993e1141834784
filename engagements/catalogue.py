"""The service catalogue: what clusters can book, at what price, under which policy."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from core.api import db, utcnow
from engagements.models import Service
from engagements.policy import parse_policy

SLUG_RE = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class ServiceData:
    """Validated fields of a service, as an admin typed them."""

    title: str
    summary: str
    description: str
    deliverables: str
    duration: str
    kind: str
    price_minor: int
    currency: str
    vat_rate_bp: int
    cancellation_policy: str
    sort_order: int = 100


def slugify(title: str) -> str:
    return SLUG_RE.sub("-", title.lower()).strip("-")[:70] or "service"


def active_services() -> list[Service]:
    return list(
        db.session.execute(
            select(Service).where(Service.retired_at.is_(None)).order_by(Service.sort_order, Service.title)
        ).scalars()
    )


def all_services() -> list[Service]:
    return list(
        db.session.execute(
            select(Service).order_by(Service.retired_at.is_not(None), Service.sort_order, Service.title)
        ).scalars()
    )


def get_active(service_id: int) -> Service | None:
    service = db.session.get(Service, service_id)
    return service if service is not None and not service.is_retired else None


def by_slug(slug: str) -> Service | None:
    return db.session.execute(select(Service).where(Service.slug == slug)).scalar_one_or_none()


def _unique_slug(title: str, exclude_id: int | None = None) -> str:
    base = slugify(title)
    candidate, n = base, 1
    while True:
        clash = db.session.execute(select(Service.id).where(Service.slug == candidate)).scalar_one_or_none()
        if clash is None or clash == exclude_id:
            return candidate
        n += 1
        candidate = f"{base}-{n}"


def create_service(data: ServiceData) -> Service:
    parse_policy(data.cancellation_policy)
    service = Service(slug=_unique_slug(data.title), **data.__dict__)
    db.session.add(service)
    db.session.commit()
    return service


def update_service(service: Service, data: ServiceData) -> Service:
    """Edit a service; engagements already booked keep the price and policy they were sold at."""
    parse_policy(data.cancellation_policy)
    for key, value in data.__dict__.items():
        setattr(service, key, value)
    db.session.commit()
    return service


def retire_service(service: Service) -> None:
    """Take a service off the catalogue; its history and engagements remain."""
    if service.retired_at is None:
        service.retired_at = utcnow()
        db.session.commit()


def restore_service(service: Service) -> None:
    service.retired_at = None
    db.session.commit()
