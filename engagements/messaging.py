"""The message thread of an engagement, with size- and type-limited attachments.

Files are stored under ``STORAGE_DIR/engagements/`` with random names; the
original name is only metadata. The type is decided by the extension and
confirmed by the file's first bytes for formats that have a signature.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import current_app

from core.api import clean_filename, db
from engagements import effects, notifications
from engagements.models import Engagement, Message, MessageAttachment

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_FILES_PER_MESSAGE = 5
MAX_BODY_CHARS = 10_000

#: extension -> (media type, required leading bytes or None)
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "txt": ("text/plain", None),
    "csv": ("text/csv", None),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (b"PK\x03\x04",)),
    "odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
}


class AttachmentError(ValueError):
    """A file was refused; the message says why."""


@dataclass(frozen=True)
class Upload:
    filename: str
    stream: IO[bytes]


def max_bytes() -> int:
    """App config first (tests), then the environment (deployments), then 5 MiB."""
    configured = current_app.config.get("ENGAGEMENTS_MAX_ATTACHMENT_BYTES") or os.environ.get("ENGAGEMENTS_MAX_ATTACHMENT_BYTES")
    return int(configured or DEFAULT_MAX_BYTES)


def storage_dir() -> Path:
    path = Path(current_app.config["STORAGE_DIR"]) / "engagements"
    path.mkdir(parents=True, exist_ok=True)
    return path


def check_upload(upload: Upload) -> tuple[str, str, bytes]:
    """Return (safe filename, media type, content) or raise ``AttachmentError``."""
    name = clean_filename(Path(upload.filename.replace("\\", "/")).name)[:200]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED_TYPES:
        allowed = ", ".join(sorted(ALLOWED_TYPES))
        raise AttachmentError(f"{name or 'This file'}: only these types are accepted: {allowed}.")
    limit = max_bytes()
    content = upload.stream.read(limit + 1)
    if len(content) > limit:
        raise AttachmentError(f"{name}: files may be at most {limit // (1024 * 1024)} MB.")
    if not content:
        raise AttachmentError(f"{name}: the file is empty.")
    media_type, signatures = ALLOWED_TYPES[ext]
    if signatures and not any(content.startswith(sig) for sig in signatures):
        raise AttachmentError(f"{name}: the content does not look like a .{ext} file.")
    if signatures is None:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise AttachmentError(f"{name}: text files must be UTF-8.") from exc
    return name, media_type, content


def post(
    engagement: Engagement,
    *,
    author_id: int,
    author_name: str,
    from_consultant: bool,
    body: str,
    uploads: list[Upload],
) -> Message:
    """Store a message and its files, and notify the other side by email."""
    body = body.strip()
    if not body:
        raise AttachmentError("Write a message.")
    if len(body) > MAX_BODY_CHARS:
        raise AttachmentError(f"Messages may be at most {MAX_BODY_CHARS} characters.")
    if len(uploads) > MAX_FILES_PER_MESSAGE:
        raise AttachmentError(f"Attach at most {MAX_FILES_PER_MESSAGE} files.")
    checked = [check_upload(u) for u in uploads]
    message = Message(
        engagement_id=engagement.id,
        author_id=author_id,
        author_name=author_name,
        from_consultant=from_consultant,
        body=body,
    )
    db.session.add(message)
    db.session.flush()
    written: list[Path] = []
    try:
        for name, media_type, content in checked:
            stored = secrets.token_hex(16)
            path = storage_dir() / stored
            path.write_bytes(content)
            written.append(path)
            db.session.add(
                MessageAttachment(
                    message_id=message.id,
                    engagement_id=engagement.id,
                    filename=name,
                    stored_name=stored,
                    media_type=media_type,
                    size=len(content),
                )
            )
        notifications.new_message(engagement, author_name, body, from_consultant)
        effects.commit()
    except Exception:
        effects.rollback()
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return message


def attachment_of(engagement_id: int, attachment_id: int) -> MessageAttachment | None:
    """An attachment, only through its engagement (the tenant check is on the engagement)."""
    item = db.session.get(MessageAttachment, attachment_id)
    return item if item is not None and item.engagement_id == engagement_id else None


def attachment_path(item: MessageAttachment) -> Path:
    return storage_dir() / item.stored_name
