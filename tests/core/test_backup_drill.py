"""The restore drill an operator runs: back up a site with signed certificates and an
uploaded file, wipe its database and storages, restore into empty ones, and every
certificate still verifies, its stored PDF byte for byte what was issued.

The commands run in subprocesses against a scratch database (a SQLite file, or a
PostgreSQL database made for the drill when the suite runs on PostgreSQL) and scratch
folders, as they would on a server; the suite's own test database is not touched."""

import io
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

SEED = """
from tests.courses.conftest import build_catalogue, course_factory
from tests.conftest import build_home_page
from tests.factories import UserFactory
from courses import services
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from certificates.models import Certificate

home = build_home_page(None)
make = course_factory(build_catalogue(home))
course = make("Victim identification", lessons=1)
for number in range(3):
    officer = UserFactory(email=f"officer{number}@moi.gov.kw")
    enrolment = services.enrol(officer, course)
    services.complete_lesson(enrolment, services.lessons_of(course)[0])
default_storage.save("original_images/diagram.svg", ContentFile(b"<svg/>"))
print("CERTIFICATES", Certificate.objects.exclude(pdf="").count())
"""

CHECK = """
import hashlib
from certificates import services
from certificates.models import Certificate
from certificates.signing import has_signature
from django.core.files.storage import default_storage

certificates = list(Certificate.objects.all())
assert certificates, "no certificate was restored"
for certificate in certificates:
    assert services.verify(certificate.code).status == "valid", certificate.code
    with certificate.pdf.open("rb") as handle:
        data = handle.read()
    assert hashlib.sha256(data).hexdigest() == certificate.pdf_sha256, certificate.code
    assert has_signature(data), certificate.code
assert default_storage.open("original_images/diagram.svg").read() == b"<svg/>"
print("VERIFIED", len(certificates))
"""


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@pytest.fixture
def site(tmp_path):
    """Environment for the subprocesses: a scratch database, media and private
    folders, a signing key pair; dropped afterwards."""
    postgres = _postgres_url()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "TADREEB_TEST_MEDIA_ROOT": str(tmp_path / "media"),
        "TADREEB_TEST_CERTIFICATES_ROOT": str(tmp_path / "private"),
    }
    signing = tmp_path / "signing"
    if postgres:
        parts = urlsplit(postgres)
        name = f"tadreeb_drill_{os.getpid()}"
        admin = parts._replace(path="/postgres").geturl()
        env["DATABASE_URL"] = parts._replace(path=f"/{name}").geturl()
        env["DRILL_ADMIN_URL"] = admin
        env["DRILL_DB"] = name
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'drill.sqlite3'}"
    _create_database(env)
    manage(env, "make_dev_signing_key", "--dir", str(signing))
    env["CERTIFICATES_SIGNING_KEY"] = str(signing / "signing-key.pem")
    env["CERTIFICATES_SIGNING_CERT"] = str(signing / "signing-cert.pem")
    yield env
    _drop_database(env)


def _psql(env, sql: str) -> None:
    subprocess.run(
        ["psql", env["DRILL_ADMIN_URL"], "-q", "-c", sql],
        check=True,
        capture_output=True,
    )


def _create_database(env) -> None:
    if "DRILL_DB" in env:
        _drop_database(env)
        _psql(env, f'CREATE DATABASE "{env["DRILL_DB"]}"')


def _drop_database(env) -> None:
    if "DRILL_DB" in env:
        _psql(env, f'DROP DATABASE IF EXISTS "{env["DRILL_DB"]}" WITH (FORCE)')
    else:
        Path(env["DATABASE_URL"].removeprefix("sqlite:///")).unlink(missing_ok=True)


def manage(env, *args, check=True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        # A migrate takes about a minute here, but five on a machine busy with other
        # work (seen): the limit only stops a command that hangs.
        timeout=1200,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")
    return result


def _signing_files(env) -> set[str]:
    return {Path(env["CERTIFICATES_SIGNING_KEY"]).name, "signing-cert.pem"}


@pytest.mark.skipif(
    shutil.which("pg_dump") is None and bool(_postgres_url()),
    reason="pg_dump is not installed",
)
def test_backup_wipe_restore_and_every_certificate_still_verifies(site, tmp_path):
    env = site
    manage(env, "migrate", "--no-input")
    seeded = manage(env, "shell", "-c", SEED)
    assert "CERTIFICATES 3" in seeded.stdout

    archive = tmp_path / "backups" / "drill.tar.gz"
    made = manage(env, "backup", "--output", str(archive))
    assert "The signing key is not in it" in made.stdout
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    with tarfile.open(archive) as contents:
        names = contents.getnames()
    assert "manifest.json" in names and "database.dump" in names
    assert not any(Path(name).name in _signing_files(env) for name in names)
    assert sum(name.startswith("files/certificates/") for name in names) == 3

    # Wipe: a new empty database and empty storages, as after losing the server.
    _drop_database(env)
    _create_database(env)
    shutil.rmtree(env["TADREEB_TEST_MEDIA_ROOT"])
    shutil.rmtree(env["TADREEB_TEST_CERTIFICATES_ROOT"])

    restored = manage(env, "restore", str(archive))
    assert "Restored" in restored.stdout

    checked = manage(env, "shell", "-c", CHECK)
    assert "VERIFIED 3" in checked.stdout

    # A second restore over the restored site is refused, and changes nothing.
    again = manage(env, "restore", str(archive), check=False)
    assert again.returncode != 0
    assert "not empty" in again.stderr
    assert "Traceback" not in again.stderr


def test_a_damaged_archive_is_refused_before_anything_is_touched(site, tmp_path):
    env = site
    manage(env, "migrate", "--no-input")
    archive = tmp_path / "a.tar.gz"
    manage(env, "backup", "--output", str(archive))
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "database.dump":
                data = data[:-10] + b"0123456789"
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))

    result = manage(env, "restore", "--check", str(damaged), check=False)

    assert result.returncode != 0
    assert "database.dump is damaged" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_archive_gets_a_message_not_a_traceback(site, tmp_path):
    result = manage(site, "restore", str(tmp_path / "nothing.tar.gz"), check=False)
    assert result.returncode != 0
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.stderr
