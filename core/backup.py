"""One archive holds everything a restore needs except the signing key: the database
(``pg_dump`` in PostgreSQL's custom format, or a consistent copy of a SQLite file),
the files of every storage but the static files (uploaded media, the private
certificate PDFs), and a manifest with each member's SHA-256.

Files are read and written through Django's storage API, so an S3-compatible storage
is backed up the same way. The signing key is never in the archive: whoever holds a
backup must not be able to sign certificates; the operator keeps the key separately
(deploy/README.md, "Backups")."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
# Storages whose files are rebuilt from the code (collectstatic), not backed up.
SKIPPED_STORAGES = {"staticfiles"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class Summary:
    path: Path
    database: str
    files: int
    size: int


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _storage_aliases() -> list[str]:
    return sorted(alias for alias in settings.STORAGES if alias not in SKIPPED_STORAGES)


def _walk(storage, folder: str = "") -> Iterator[str]:
    """Every file name in ``storage`` under ``folder``, through the storage API."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for directory in sorted(directories):
        yield from _walk(storage, f"{folder}/{directory}" if folder else directory)


def _database() -> dict:
    return settings.DATABASES["default"]


def _vendor() -> str:
    engine = _database()["ENGINE"]
    if engine == "django.db.backends.postgresql":
        return "postgresql"
    if engine == "django.db.backends.sqlite3":
        return "sqlite"
    raise BackupError(f"Backups support PostgreSQL and SQLite, not {engine}.")


def _pg_environment() -> dict[str, str]:
    """libpq's variables for the configured database: the password travels in the
    environment, never on a command line that other users can read."""
    db = _database()
    env = {**os.environ}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    tool = command[0]
    if shutil.which(tool) is None:
        raise BackupError(
            f"{tool} is not installed: apt-get install postgresql-client (the same "
            "major version as the server)."
        )
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip()[-500:]}")


def _dump_database(target: Path) -> str:
    vendor = _vendor()
    if vendor == "postgresql":
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(target)],
            _pg_environment(),
        )
    else:
        source = sqlite3.connect(str(_database()["NAME"]))
        copy = sqlite3.connect(str(target))
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
    return vendor


def _migration_state() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def default_output() -> Path:
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.BASE_DIR) / "backups" / f"tadreeb-{stamp}.tar.gz"


def backup(output: Path) -> Summary:
    """Write the archive to ``output`` (atomically: a temporary file beside it, then a
    rename; readable by its owner only)."""
    output = Path(output)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(f"Cannot create {output.parent}: {error.strerror}.") from None
    if not os.access(output.parent, os.W_OK):
        raise BackupError(f"Cannot write to {output.parent}.")
    with tempfile.TemporaryDirectory(prefix="tadreeb-backup-") as work:
        dump = Path(work) / "database.dump"
        vendor = _dump_database(dump)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": {
                "vendor": vendor,
                "member": "database.dump",
                "size": dump.stat().st_size,
                "sha256": _sha256_file(dump),
            },
            "migrations": _migration_state(),
            "files": [],
            "not_included": (
                "The certificate signing key and certificate "
                "(CERTIFICATES_SIGNING_KEY, CERTIFICATES_SIGNING_CERT): back them up "
                "separately."
            ),
        }
        handle, partial = tempfile.mkstemp(
            dir=output.parent, prefix=f".{output.name}.", suffix=".partial"
        )
        os.close(handle)
        try:
            os.chmod(partial, 0o600)
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(dump, arcname="database.dump")
                for alias in _storage_aliases():
                    storage = storages[alias]
                    for name in _walk(storage):
                        member = f"files/{alias}/{name}"
                        digest = hashlib.sha256()
                        with storage.open(name, "rb") as source:
                            data = source.read()
                        digest.update(data)
                        info = tarfile.TarInfo(member)
                        info.size = len(data)
                        info.mode = 0o600
                        archive.addfile(info, io.BytesIO(data))
                        manifest["files"].append(
                            {
                                "storage": alias,
                                "name": name,
                                "member": member,
                                "size": len(data),
                                "sha256": digest.hexdigest(),
                            }
                        )
                body = json.dumps(manifest, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(body)
                info.mode = 0o600
                archive.addfile(info, io.BytesIO(body))
            os.replace(partial, output)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    return Summary(
        path=output,
        database=vendor,
        files=len(manifest["files"]),
        size=output.stat().st_size,
    )


# --- Restore --------------------------------------------------------------------


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.getmember(MANIFEST)
    except KeyError:
        raise BackupError("This archive has no manifest: it is not a backup.") from None
    manifest = json.loads(archive.extractfile(member).read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def _checked(archive: tarfile.TarFile, entry: dict) -> bytes:
    try:
        data = archive.extractfile(archive.getmember(entry["member"])).read()
    except (KeyError, AttributeError):
        raise BackupError(f"The archive lacks {entry['member']}.") from None
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
        raise BackupError(f"{entry['member']} is damaged (its SHA-256 differs).")
    return data


def verify(path: Path) -> dict:
    """Every checksum of the archive, before anything is touched."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            manifest = _read_manifest(archive)
            _checked(archive, manifest["database"])
            for entry in manifest["files"]:
                _checked(archive, entry)
    except (tarfile.TarError, OSError, EOFError, json.JSONDecodeError) as error:
        raise BackupError(f"Cannot read {path}: {error}.") from None
    return manifest


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def restore(path: Path) -> Summary:
    """Read the archive into an empty database and empty storages. Refuses anything
    else, before touching it."""
    path = Path(path)
    manifest = verify(path)
    vendor = _vendor()
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(
            f"The archive holds a {manifest['database']['vendor']} database; "
            f"this site is configured for {vendor}."
        )
    if not _database_is_empty():
        raise BackupError(
            "The database is not empty. Restore into a new, empty database "
            "(createdb, or a new SQLite file) and point DATABASE_URL at it."
        )
    for alias in _storage_aliases():
        if next(_walk(storages[alias]), None) is not None:
            raise BackupError(
                f"The storage {alias!r} already holds files; restore into empty ones."
            )
    with tarfile.open(path, "r:gz") as archive, tempfile.TemporaryDirectory() as work:
        dump = Path(work) / "database.dump"
        dump.write_bytes(_checked(archive, manifest["database"]))
        if vendor == "postgresql":
            connection.close()
            _run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--exit-on-error",
                    "--dbname",
                    _pg_environment()["PGDATABASE"],
                    str(dump),
                ],
                _pg_environment(),
            )
        else:
            connection.close()
            target = sqlite3.connect(str(_database()["NAME"]))
            source = sqlite3.connect(str(dump))
            try:
                with target:
                    source.backup(target)
            finally:
                source.close()
                target.close()
        for entry in manifest["files"]:
            storage = storages[entry["storage"]]
            saved = storage.save(entry["name"], ContentFile(_checked(archive, entry)))
            if saved != entry["name"]:
                raise BackupError(f"{entry['name']} was stored as {saved}.")
    return Summary(
        path=path,
        database=vendor,
        files=len(manifest["files"]),
        size=path.stat().st_size,
    )
