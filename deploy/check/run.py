"""`make deploy-check`: the deployment bundle, proven on this machine.

Debian's nginx, filled from deploy/nginx/tadreeb.conf, in front of two gunicorn app
servers (deploy/gunicorn.conf.py) on loopback ports; one scratch PostgreSQL database;
Redis; one task worker; production settings. Every check goes over HTTPS through
nginx, as a browser would, except where it must look behind nginx (what an app server
answered, what the worker did):

  sessions        a session made through one app server works on the other
  sign-in limit   failed sign-ins are counted across both app servers
  one certificate 20 parallel completions of one enrolment, spread over both
                  servers, yield one certificate, rendered once, by the worker
  files           a lesson image is served by nginx itself; a certificate download
                  is checked by Django and sent by nginx (X-Accel-Redirect)
  health          /healthz/ reports database, cache, storage and the age of the
                  oldest waiting task
  worker killed   a worker killed in the middle of a render is restarted; the
                  certificate's PDF is rendered and signed all the same
  server stopped  stopping, then killing, one app server under load loses no request
                  that nginx can retry
  logs            app and access logs are JSON lines with request ids, without the
                  officers' e-mail addresses

Everything lives in one temporary folder, one scratch database and one Redis database
(DEPLOY_CHECK_REDIS_URL, default db 15, flushed before and after); all are removed at
the end, whatever happened. Exit status 0 when every check passed.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import email
import email.policy
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parents[2]
# The checkout's own code, whatever the virtualenv's editable install points at.
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
BIN = Path(PYTHON).parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PASSWORD = "deploy-check-Passw0rd!"
OFFICER_EMAIL = "officer.one@moi.gov.kw"
SECOND_OFFICER_EMAIL = "officer.two@moi.gov.kw"
STARTED = time.monotonic()


class CheckFailed(Exception):
    pass


def say(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", flush=True)


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise CheckFailed(f"Timed out after {timeout:.0f}s waiting for {what}.")


# --- The scene ----------------------------------------------------------------------


class Scene:
    """The temporary folder, database, processes and their logs."""

    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="tadreeb-deploy-check-"))
        self.tmp.chmod(0o755)
        self.logs = self.tmp / "logs"
        self.logs.mkdir()
        self.media = self.tmp / "media"
        self.private = self.tmp / "private"
        self.media.mkdir()
        self.private.mkdir()
        self.https_port = free_port()
        self.http_port = free_port()
        self.app_ports = [free_port(), free_port()]
        self.base_url = f"https://localhost:{self.https_port}"
        admin_url = os.environ.get(
            "DEPLOY_CHECK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
        )
        self.admin_url = admin_url
        self.db_name = f"tadreeb_deploy_check_{os.getpid()}"
        parts = urlsplit(admin_url)
        self.database_url = urlunsplit(parts._replace(path=f"/{self.db_name}"))
        self.redis_url = os.environ.get(
            "DEPLOY_CHECK_REDIS_URL", "redis://127.0.0.1:6379/15"
        )
        self.processes: dict[str, subprocess.Popen] = {}
        self.env: dict[str, str] = {}
        self.mail = MailSink()

    # Files and settings

    def write_tls(self) -> Path:
        """A self-signed certificate for localhost, trusted by the check's client."""
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
        now = dt.datetime.now(dt.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(
                x509.SubjectAlternativeName([x509.DNSName("localhost")]),
                critical=False,
            )
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256())
        )
        tls = self.tmp / "tls"
        tls.mkdir()
        (tls / "key.pem").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        (tls / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return tls

    def make_signing_key(self) -> Path:
        """The certificate-signing pair an authority would issue; the development
        command writes it (production settings rightly refuse to)."""
        folder = self.tmp / "signing"
        run(
            [PYTHON, "manage.py", "make_dev_signing_key", "--dir", str(folder)],
            {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.dev"},
            self.logs / "signing.log",
        )
        return folder

    def settings_env(self, signing: Path) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_", "TADREEB_", "CERTIFICATES_"))
        }
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "lms.settings.production",
                "SECRET_KEY": uuid.uuid4().hex * 2,
                "ALLOWED_HOSTS": "localhost",
                "WAGTAILADMIN_BASE_URL": self.base_url,
                "DATABASE_URL": self.database_url,
                "DATABASE_CONN_MAX_AGE": "60",
                "REDIS_URL": self.redis_url,
                "TRUSTED_PROXY_COUNT": "1",
                "SECURE_PROXY_SSL_HEADER_ENABLED": "1",
                "MEDIA_ROOT": str(self.media),
                "CERTIFICATES_STORAGE_ROOT": str(self.private),
                "CERTIFICATES_X_ACCEL_REDIRECT": "/_protected/certificates/",
                "CERTIFICATES_SIGNING_KEY": str(signing / "signing-key.pem"),
                "CERTIFICATES_SIGNING_CERT": str(signing / "signing-cert.pem"),
                "TADREEB_TASK_STALE_SECONDS": "5",
                "TADREEB_TASK_RETRY_SECONDS": "1",
                "TADREEB_REQUIRE_STAFF_MFA": "1",
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(self.mail.port),
                "EMAIL_USE_TLS": "0",
                "EMAIL_HOST_USER": "",
                "EMAIL_HOST_PASSWORD": "",
                "LOG_FORMAT": "json",
                "GUNICORN_WORKERS": "2",
                "GUNICORN_GRACEFUL_TIMEOUT": "10",
                "PYTHONUNBUFFERED": "1",
            }
        )
        return env

    def write_nginx(self, tls: Path, static_root: Path) -> Path:
        site = (ROOT / "deploy" / "nginx" / "tadreeb.conf").read_text()
        servers = "\n    ".join(
            f"server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;"
            for port in self.app_ports
        )
        tokens = {
            "@SERVER_NAME@": "localhost",
            "@LISTEN_HTTP@": f"127.0.0.1:{self.http_port}",
            "@LISTEN_HTTPS@": f"127.0.0.1:{self.https_port}",
            "@TLS_CERTIFICATE@": str(tls / "cert.pem"),
            "@TLS_CERTIFICATE_KEY@": str(tls / "key.pem"),
            "@APP_SERVERS@": servers,
            "@MEDIA_ROOT@": str(self.media),
            "@CERTIFICATES_STORAGE_ROOT@": str(self.private),
            "@STATIC_ROOT@": str(static_root),
        }
        for token, value in tokens.items():
            expect(token in site, f"deploy/nginx/tadreeb.conf lost its {token} token.")
            site = site.replace(token, value)
        left = re.findall(r"@[A-Z_]+@", site)
        expect(not left, f"Unfilled tokens in the nginx site: {left}")
        # The one path the bundle fixes for a real machine: the access log.
        site = site.replace(
            "/var/log/nginx/tadreeb.access.log", str(self.logs / "nginx-access.log")
        )
        folder = self.tmp / "nginx"
        folder.mkdir()
        (folder / "tadreeb.conf").write_text(site)
        user = "user root root;" if os.geteuid() == 0 else ""
        temp = folder / "temp"
        temp.mkdir()
        main = f"""
{user}
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {self.logs / "nginx-error.log"} warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {folder / "tadreeb.conf"};
}}
"""
        (folder / "nginx.conf").write_text(main)
        return folder / "nginx.conf"

    # Processes

    def start(self, name: str, argv: list[str]) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        self.processes[name] = process
        return process

    def start_app(self, index: int) -> None:
        port = self.app_ports[index]
        self.start(
            f"app{index + 1}",
            [
                str(BIN / "gunicorn"),
                "-c",
                "deploy/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "lms.wsgi",
            ],
        )
        wait_for(
            lambda: app_answers(port), 120, f"the app server on port {port} to answer"
        )

    def start_worker(self) -> subprocess.Popen:
        return self.start(
            "worker",
            [
                PYTHON,
                "manage.py",
                "run_worker",
                "--worker-id",
                "deploy-check-1",
                "--interval",
                "0.2",
                "--no-startup-delay",
            ],
        )

    def stop(self, name: str, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
        process = self.processes.get(name)
        if process is None or process.poll() is not None:
            return
        process.send_signal(sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def tail_logs(self) -> None:
        for log in sorted(self.logs.glob("*.log")):
            lines = log.read_text(errors="replace").splitlines()[-15:]
            print(f"--- {log.name} (last {len(lines)} lines)", file=sys.stderr)
            for line in lines:
                print(f"    {line[:400]}", file=sys.stderr)

    def clean_up(self) -> None:
        for name in list(self.processes):
            if name != "nginx":
                self.stop(name, timeout=15)
        self.stop("nginx", signal.SIGQUIT, timeout=10)
        self.mail.close()
        try:
            redis.Redis.from_url(self.redis_url).flushdb()
        except redis.RedisError:
            pass
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001 - Django may not be set up yet
            pass
        drop_database(self.admin_url, self.db_name)
        shutil.rmtree(self.tmp, ignore_errors=True)


def run(argv: list[str], env: dict, log: Path) -> None:
    with open(log, "ab") as out:
        result = subprocess.run(argv, cwd=ROOT, env=env, stdout=out, stderr=out)
    if result.returncode != 0:
        tail = log.read_text(errors="replace").splitlines()[-20:]
        raise CheckFailed(f"{' '.join(argv[1:3])} failed:\n    " + "\n    ".join(tail))


def plain_session() -> requests.Session:
    """A client that ignores the environment's proxies and CA bundle
    (REQUESTS_CA_BUNDLE would otherwise override the check's own certificate)."""
    session = requests.Session()
    session.trust_env = False
    # 20 parallel requests share one session below.
    session.mount("https://", requests.adapters.HTTPAdapter(pool_maxsize=32))
    return session


def app_answers(port: int) -> bool:
    try:
        response = plain_session().get(
            f"http://127.0.0.1:{port}/healthz/",
            headers={"Host": "localhost"},
            timeout=2,
        )
    except requests.RequestException:
        return False
    return response.status_code == 200


def create_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(admin_url: str, name: str) -> None:
    try:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except psycopg.Error as exc:
        print(f"Could not drop the scratch database {name}: {exc}", file=sys.stderr)


class MailSink:
    """The mail server the worker delivers to: the smallest SMTP that accepts every
    message and keeps it (recipients and raw text), on a loopback port."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._session, args=(conn,), daemon=True).start()

    def _session(self, conn: socket.socket) -> None:
        stream = conn.makefile("rb")

        def reply(line: str) -> None:
            conn.sendall(line.encode() + b"\r\n")

        reply("220 deploy-check")
        recipients: list[str] = []
        try:
            for raw in stream:
                command = raw.decode(errors="replace").strip()
                verb = command[:4].upper()
                if verb in ("EHLO", "HELO"):
                    reply("250 deploy-check")
                elif verb == "MAIL":
                    recipients = []
                    reply("250 OK")
                elif verb == "RCPT":
                    recipients.append(command.split(":", 1)[1].strip(" <>"))
                    reply("250 OK")
                elif verb == "DATA":
                    reply("354 End with <CRLF>.<CRLF>")
                    body = b""
                    for line in stream:
                        if line in (b".\r\n", b".\n"):
                            break
                        body += line
                    self.messages.append((recipients, body))
                    reply("250 OK")
                elif verb == "QUIT":
                    reply("221 Bye")
                    return
                else:
                    reply("250 OK")
        finally:
            conn.close()

    def close(self) -> None:
        self.server.close()


# --- Content, made as an operator would after the first install ----------------------


def seed() -> dict:
    """A site, one course of one lesson with an image, two officers of one ministry
    (verified addresses), made with the project's own models and services."""
    import io

    from allauth.account.models import EmailAddress
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model
    from wagtail.models import Locale, Page, Site

    from accounts.models import Cadre, EmailDomain, Gender, Ministry, User
    from core.models import HomePage
    from courses.models import CourseIndexPage, CoursePage, LessonPage

    for code in ("en", "ar"):
        Locale.objects.get_or_create(language_code=code)
    english = Locale.objects.get(language_code="en")
    root = Page.get_first_root_node()
    for page in root.get_children():
        page.delete()
    home = HomePage(
        title="Tadreeb",
        slug="home",
        locale=english,
        hero_heading="Training for the officers who protect victims",
        hero_text="Learn to recognise and assist victims of trafficking.",
        courses_heading="Courses",
    )
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.all().delete()
    Site.objects.create(
        hostname="localhost", port=443, root_page=home, is_default_site=True
    )
    catalogue = CourseIndexPage(title="Courses", slug="courses")
    home.add_child(instance=catalogue)
    catalogue.save_revision().publish()
    course = CoursePage(
        title="Identifying victims",
        slug="identifying-victims",
        summary="Recognise the indicators of trafficking.",
        learning_objectives="<ul><li>Recognise indicators.</li></ul>",
    )
    catalogue.add_child(instance=course)
    course.save_revision().publish()

    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 360), (20, 90, 70)).save(buffer, format="PNG")
    image = get_image_model()(title="Indicators diagram")
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name="indicators.png")
    image.save()
    lesson = LessonPage(
        title="Indicators",
        slug="indicators",
        body=[
            {"type": "paragraph", "value": "<p>Look for these indicators.</p>"},
            {
                "type": "image",
                "value": {
                    "image": image.pk,
                    "alt_text": "A diagram of the indicators of trafficking.",
                    "caption": "Indicators.",
                },
            },
        ],
    )
    course.add_child(instance=lesson)
    lesson.save_revision().publish()

    ministry = Ministry.objects.create(
        code="MOI", name_en="Ministry of Interior", name_ar="وزارة الداخلية"
    )
    EmailDomain.objects.create(ministry=ministry, domain="moi.gov.kw")
    officers = []
    for address, name_en, name_ar in (
        (OFFICER_EMAIL, "Noura Al-Mutairi", "نورة المطيري"),
        (SECOND_OFFICER_EMAIL, "Fahad Al-Azmi", "فهد العازمي"),
    ):
        user = User(
            email=address,
            full_name_en=name_en,
            full_name_ar=name_ar,
            ministry=ministry,
            cadre=Cadre.POLICE,
            gender=Gender.FEMALE if address == OFFICER_EMAIL else Gender.MALE,
            job_title="Investigator",
        )
        user.set_password(PASSWORD)
        user.save()
        EmailAddress.objects.create(
            user=user, email=address, verified=True, primary=True
        )
        officers.append(user)
    return {"course": course, "lesson": lesson, "officers": officers}


# --- The client -----------------------------------------------------------------------


class Browser:
    """One person's cookies, over HTTPS through nginx."""

    def __init__(self, scene: Scene, tls: Path) -> None:
        self.scene = scene
        self.session = plain_session()
        self.session.verify = str(tls / "cert.pem")

    def url(self, path: str) -> str:
        return self.scene.base_url + path

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.session.get(self.url(path), timeout=30, **kwargs)

    def csrf(self, path: str) -> str:
        page = self.get(path)
        expect(page.status_code == 200, f"GET {path} answered {page.status_code}.")
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        expect(found is not None, f"No CSRF token on {path}.")
        return found.group(1)

    def post(self, path: str, data: dict, token: str) -> requests.Response:
        return self.session.post(
            self.url(path),
            data={"csrfmiddlewaretoken": token, **data},
            headers={"Referer": self.url(path)},
            allow_redirects=False,
            timeout=60,
        )

    def sign_in(self, email: str, password: str) -> requests.Response:
        token = self.csrf("/en/accounts/login/")
        return self.post(
            "/en/accounts/login/", {"login": email, "password": password}, token
        )


def request_ids_by_upstream(scene: Scene, request_ids: set[str]) -> dict[str, str]:
    """Which upstream (app server, or "-" for nginx itself) answered each request."""
    found = {}
    log = scene.logs / "nginx-access.log"
    for line in log.read_text().splitlines():
        match = re.search(r"upstream=(\S+) request_id=(\S+)", line)
        if match and match.group(2) in request_ids:
            found[match.group(2)] = match.group(1)
    return found


def upstreams_of(scene: Scene, responses: list[requests.Response]) -> set[str]:
    ids = {r.headers.get("X-Request-ID", "") for r in responses}
    # nginx writes its log line once the response is sent: give it a moment.
    time.sleep(0.3)
    return set(request_ids_by_upstream(scene, ids).values())


# --- The checks -----------------------------------------------------------------------


def check_sessions(scene: Scene, browser: Browser) -> None:
    answer = browser.sign_in(OFFICER_EMAIL, PASSWORD)
    expect(
        answer.status_code == 302,
        f"Signing in answered {answer.status_code}, not a redirect.",
    )
    pages = [browser.get("/en/dashboard/", allow_redirects=False) for _ in range(6)]
    statuses = {page.status_code for page in pages}
    expect(statuses == {200}, f"The dashboard answered {statuses} after sign-in.")
    expect(
        all("/en/accounts/logout/" in page.text for page in pages),
        "The dashboard does not offer the signed-in officer to sign out.",
    )
    servers = upstreams_of(scene, pages)
    expected = {f"127.0.0.1:{port}" for port in scene.app_ports}
    expect(
        servers == expected,
        f"The signed-in pages came from {servers}, not from both app servers.",
    )


def check_sign_in_limit(scene: Scene, tls: Path) -> None:
    stranger = Browser(scene, tls)
    answers = []
    for _ in range(6):
        answers.append(stranger.sign_in(SECOND_OFFICER_EMAIL, "not-the-password"))
        # nginx takes the app servers in turn: one more request between attempts
        # sends each attempt's POST to the other server than the last one's.
        stranger.get("/healthz/")
    statuses = [answer.status_code for answer in answers]
    expect(
        statuses[:5] == [200] * 5,
        f"Five wrong passwords answered {statuses[:5]}, not the form again (200).",
    )
    expect(statuses[5] == 429, f"The sixth wrong password answered {statuses[5]}.")
    servers = upstreams_of(scene, answers[:5])
    expect(
        len(servers) == 2, f"The failed sign-ins reached {servers}, not both servers."
    )
    still = Browser(scene, tls).sign_in(SECOND_OFFICER_EMAIL, PASSWORD)
    expect(
        still.status_code != 302,
        "The right password was accepted while the address was locked "
        f"({still.status_code}).",
    )


def enrol(browser: Browser, course_url: str) -> None:
    token = browser.csrf(course_url)
    answer = browser.post(course_url, {}, token)
    expect(
        answer.status_code == 302, f"Starting the course answered {answer.status_code}."
    )


def check_one_certificate(scene: Scene, browser: Browser, content: dict) -> object:
    from django_tasks_db.models import DBTaskResult

    from certificates.models import Certificate
    from courses.models import Enrolment

    course_url = "/en/courses/identifying-victims/"
    lesson_url = course_url + "indicators/"
    enrol(browser, course_url)
    token = browser.csrf(lesson_url)
    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        answers = list(
            pool.map(lambda _: browser.post(lesson_url, {}, token), range(20))
        )
    statuses = sorted({answer.status_code for answer in answers})
    expect(statuses == [302], f"The 20 completions answered {statuses}.")
    servers = upstreams_of(scene, answers)
    expect(len(servers) == 2, f"The 20 completions reached only {servers}.")
    officer = content["officers"][0]
    enrolment = Enrolment.objects.get(user=officer)
    expect(enrolment.completed_at is not None, "The enrolment was not completed.")
    certificates = list(Certificate.objects.filter(enrolment=enrolment))
    expect(len(certificates) == 1, f"{len(certificates)} certificates were issued.")
    certificate = certificates[0]

    renders = DBTaskResult.objects.filter(
        task_path__endswith="render_certificate_task",
        args_kwargs__args=[str(certificate.pk)],
    )

    def rendered():
        return renders.filter(status__in=["SUCCESSFUL", "FAILED"]).exists()

    wait_for(rendered, 60, "the worker to render the certificate")
    certificate.refresh_from_db()
    expect(bool(certificate.pdf), "The render finished without storing the PDF.")
    expect(renders.count() == 1, f"The render was queued {renders.count()} times.")
    expect(
        renders.get().status == "SUCCESSFUL",
        f"The render task ended {renders.get().status}.",
    )
    return certificate


def check_files(scene: Scene, browser: Browser, tls: Path, certificate) -> None:
    from certificates.signing import has_signature

    lesson = browser.get("/en/courses/identifying-victims/indicators/")
    found = re.search(r'<img[^>]+src="(/media/images/[^"]+)"', lesson.text)
    expect(found is not None, "The lesson page shows no uploaded image.")
    image = browser.get(found.group(1))
    expect(
        image.status_code == 200 and image.headers["Content-Type"].startswith("image/"),
        f"The lesson image answered {image.status_code}.",
    )
    by = request_ids_by_upstream(scene, {image.headers.get("X-Request-ID", "?")})
    time.sleep(0.3)
    log = (scene.logs / "nginx-access.log").read_text()
    line = [row for row in log.splitlines() if found.group(1) in row]
    expect(
        line and "upstream=- " in line[-1],
        f"The image was not served by nginx itself ({by or line[-1:]}).",
    )

    path = f"/en/certificates/{certificate.code}.pdf"
    pdf = browser.get(path)
    expect(
        pdf.status_code == 200, f"The certificate download answered {pdf.status_code}."
    )
    expect(
        pdf.headers["Content-Type"] == "application/pdf",
        f"The download is {pdf.headers['Content-Type']}.",
    )
    certificate.refresh_from_db()
    with certificate.pdf.open("rb") as stored:
        expect(
            pdf.content == stored.read(), "The download differs from the stored PDF."
        )
    expect(has_signature(pdf.content), "The downloaded certificate is not signed.")
    # Behind nginx: the app server answers with the header and no body.
    cookie = browser.session.cookies.get("sessionid")
    behind = plain_session().get(
        f"http://127.0.0.1:{scene.app_ports[0]}{path}",
        headers={
            "Host": "localhost",
            "X-Forwarded-Proto": "https",
            "Cookie": f"sessionid={cookie}",
        },
        allow_redirects=False,
        timeout=30,
    )
    expect(
        behind.headers.get("X-Accel-Redirect", "").startswith(
            "/_protected/certificates/"
        )
        and not behind.content,
        f"The app server streamed the PDF itself ({behind.status_code}, "
        f"{len(behind.content)} bytes).",
    )
    hidden = browser.get(behind.headers["X-Accel-Redirect"])
    expect(hidden.status_code == 404, "The internal certificate folder is public.")
    anonymous = Browser(scene, tls).get(path, allow_redirects=False)
    expect(
        anonymous.status_code in (302, 404) and b"%PDF" not in anonymous.content[:8],
        "A certificate was handed to somebody not signed in.",
    )


def check_mail(scene: Scene, tls: Path) -> int:
    """A password reset asked through nginx: the app server only queues the e-mail;
    the worker delivers it, once, to the mail server."""
    from core.models import OutboundEmail

    def delivered_all():
        return not OutboundEmail.objects.filter(sent_at=None).exists()

    wait_for(delivered_all, 60, "the e-mails sent so far to be delivered")
    before, queued = len(scene.mail.messages), OutboundEmail.objects.count()
    person = Browser(scene, tls)
    path = "/en/accounts/password/reset/"
    token = person.csrf(path)
    answer = person.post(path, {"email": OFFICER_EMAIL}, token)
    expect(answer.status_code == 302, f"Reset answered {answer.status_code}.")
    wait_for(
        lambda: len(scene.mail.messages) > before,
        60,
        "the worker to deliver the reset e-mail",
    )
    time.sleep(1.0)
    new = scene.mail.messages[before:]
    expect(
        len(new) == 1 and new[0][0] == [OFFICER_EMAIL],
        f"{len(new)} e-mails were delivered for one reset request.",
    )
    message = email.message_from_bytes(new[0][1], policy=email.policy.default)
    text = message.get_body(("plain",)).get_content()
    links = re.findall(r"https?://[^\s\"<>]+", text)
    expect(
        any(link.startswith(scene.base_url + "/") for link in links),
        f"The reset e-mail links to {links}, not to {scene.base_url}.",
    )
    expect(
        OutboundEmail.objects.count() == queued + 1 and delivered_all(),
        "The outbox does not record the reset e-mail as sent.",
    )
    return len(scene.mail.messages)


def check_mail_once(scene: Scene) -> int:
    """Every e-mail in the outbox reached the mail server exactly once."""
    from core.models import OutboundEmail

    ids = []
    for _, raw in scene.mail.messages:
        found = re.search(rb"^Message-ID:\s*(\S+)", raw, re.MULTILINE | re.IGNORECASE)
        expect(found is not None, "A delivered e-mail has no Message-ID.")
        ids.append(found.group(1).decode())
    expect(len(ids) == len(set(ids)), "An e-mail was delivered twice.")
    outbox = set(OutboundEmail.objects.values_list("message_id", flat=True))
    expect(
        {i.strip("<>") for i in ids} == {m.strip("<>") for m in outbox},
        f"Delivered {len(ids)} e-mails, the outbox holds {len(outbox)}.",
    )
    return len(ids)


def health(browser: Browser) -> dict:
    answer = browser.get("/healthz/")
    expect(answer.status_code == 200, f"/healthz/ answered {answer.status_code}.")
    return answer.json()


def check_worker_killed(scene: Scene, browser: Browser, tls: Path, content) -> dict:
    """Stop the worker, queue a render (health shows it waiting), start the worker
    and kill it while the task runs; restarted, it renders and signs the PDF."""
    from django_tasks_db.models import DBTaskResult

    from certificates.models import Certificate
    from certificates.signing import has_signature

    report = {}
    scene.stop("worker")
    second = Browser(scene, tls)
    second.session.cookies.clear()
    redis.Redis.from_url(scene.redis_url).flushdb()  # the sign-in limit above
    answer = second.sign_in(SECOND_OFFICER_EMAIL, PASSWORD)
    expect(answer.status_code == 302, f"Second sign-in answered {answer.status_code}.")
    course_url = "/en/courses/identifying-victims/"
    enrol(second, course_url)
    token = second.csrf(course_url + "indicators/")
    second.post(course_url + "indicators/", {}, token)
    certificate = Certificate.objects.get(user=content["officers"][1])
    task = DBTaskResult.objects.get(
        task_path__endswith="render_certificate_task",
        args_kwargs__args=[str(certificate.pk)],
    )
    time.sleep(1.2)
    waiting = health(browser)
    report["healthz"] = waiting
    for part in ("database", "cache", "storage"):
        expect(waiting.get(part) == "ok", f"/healthz/ reports {part}: {waiting}.")
    oldest = (waiting.get("tasks") or {}).get("oldest_waiting_seconds")
    expect(
        oldest is not None and oldest >= 1,
        f"/healthz/ does not show the waiting render ({waiting}).",
    )

    worker = scene.start_worker()

    def running():
        task.refresh_from_db()
        return task.status in ("RUNNING", "SUCCESSFUL")

    wait_for(running, 60, "the worker to take the render", interval=0.01)
    expect(task.status == "RUNNING", "The render finished before it could be killed.")
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    certificate.refresh_from_db()
    expect(not certificate.pdf, "The PDF was stored before the worker was killed.")
    report["killed_during"] = task.status
    scene.start_worker()

    def finished():
        task.refresh_from_db()
        return task.status in ("SUCCESSFUL", "FAILED")

    wait_for(finished, 90, "the restarted worker to finish the render")
    expect(task.status == "SUCCESSFUL", f"The render ended {task.status}.")
    certificate.refresh_from_db()
    with certificate.pdf.open("rb") as stored:
        data = stored.read()
    expect(has_signature(data), "The re-rendered certificate is not signed.")
    report["runs"] = len(task.worker_ids)
    expect(
        len(task.worker_ids) == 2,
        f"The render ran {len(task.worker_ids)} times, not 2.",
    )
    wait_for(
        lambda: health(browser)["tasks"]["oldest_waiting_seconds"] in (None, 0),
        30,
        "/healthz/ to show no waiting task",
    )
    verified = browser.get(f"/en/verify/{certificate.code}/")
    expect(
        verified.status_code == 200 and "Fahad Al-Azmi" in verified.text,
        "The verification page does not show the re-rendered certificate.",
    )
    return report


def check_server_stopped(scene: Scene, tls: Path) -> dict:
    """GET requests keep coming from 4 clients while one app server is stopped
    (SIGTERM), started again, and the other killed (SIGKILL)."""
    failures: list[str] = []
    count = 0
    lock = threading.Lock()
    done = threading.Event()

    def client():
        nonlocal count
        person = Browser(scene, tls)
        while not done.is_set():
            for path in ("/en/", "/en/courses/identifying-victims/", "/healthz/"):
                try:
                    answer = person.get(path, allow_redirects=False)
                    ok = answer.status_code == 200
                    problem = f"{path} {answer.status_code}"
                except requests.RequestException as exc:
                    ok, problem = False, f"{path} {type(exc).__name__}"
                with lock:
                    count += 1
                    if not ok:
                        failures.append(f"{time.monotonic() - began:.1f}s {problem}")

    began = time.monotonic()
    events = []

    def event(what):
        events.append(f"{time.monotonic() - began:.1f}s {what}")

    threads = [threading.Thread(target=client) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.5)
        event("app1 SIGTERM")
        scene.stop("app1", signal.SIGTERM)
        event("app1 stopped")
        time.sleep(1.5)
        scene.start_app(0)
        event("app1 answers")
        # nginx counts a failed server out for fail_timeout (5 s, the site file)
        # even once it is back: the next may only go after that, as in an upgrade.
        time.sleep(6)
        event("app2 SIGKILL")
        scene.stop("app2", signal.SIGKILL)
        time.sleep(1.5)
        scene.start_app(1)
        event("app2 answers")
        time.sleep(1.0)
    finally:
        done.set()
        for thread in threads:
            thread.join()
    expect(
        not failures,
        f"{len(failures)} of {count} requests failed while servers stopped: "
        f"first {failures[:3]}, last {failures[-2:]}; events {events}",
    )
    return {"requests": count}


def check_logs(scene: Scene) -> dict:
    lines = 0
    with_id = 0
    for name in ("app1.log", "app2.log", "worker.log"):
        for line in (scene.logs / name).read_text(errors="replace").splitlines():
            if not line.startswith("{"):
                continue
            record = json.loads(line)
            lines += 1
            if record.get("request_id") not in (None, "", "-"):
                with_id += 1
    expect(lines > 50, f"Only {lines} JSON log lines from the app servers and worker.")
    expect(with_id > 20, f"Only {with_id} log lines carry a request id.")
    everything = "".join(
        log.read_text(errors="replace") for log in scene.logs.glob("*.log")
    )
    for address in (OFFICER_EMAIL, SECOND_OFFICER_EMAIL):
        expect(address not in everything, "An officer's e-mail address is in the logs.")
    expect("Noura" not in everything, "An officer's name is in the logs.")
    for name in ("app1.log", "app2.log", "worker.log"):
        for line in (scene.logs / name).read_text(errors="replace").splitlines():
            expect(
                line.startswith("{") or not line.strip(),
                f"{name} has a line that is not JSON: {line[:200]}",
            )
    return {"json_lines": lines, "with_request_id": with_id}


# --- The run --------------------------------------------------------------------------


def main() -> int:
    if not Path(NGINX).exists():
        print(
            "nginx is not installed: `make deploy-check` installs Debian's nginx-light "
            "when it runs as root (or: sudo apt-get install nginx-light).",
            file=sys.stderr,
        )
        return 2
    scene = Scene()
    timings: dict[str, float] = {}
    step_started = time.monotonic()

    def step(name: str) -> None:
        nonlocal step_started
        now = time.monotonic()
        timings[name] = now - step_started
        step_started = now
        say(f"ok  {name} ({timings[name]:.1f}s)")

    try:
        tls = scene.write_tls()
        signing = scene.make_signing_key()
        scene.env = scene.settings_env(signing)
        redis.Redis.from_url(scene.redis_url).flushdb()
        create_database(scene.admin_url, scene.db_name)
        manage = [PYTHON, "manage.py"]
        # Independent of each other (collectstatic needs no database): side by side.
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            jobs = [
                pool.submit(
                    run,
                    [*manage, "migrate", "--no-input"],
                    scene.env,
                    scene.logs / "migrate.log",
                ),
                pool.submit(
                    run,
                    [*manage, "collectstatic", "--no-input", "--verbosity", "0"],
                    scene.env,
                    scene.logs / "collectstatic.log",
                ),
            ]
            for job in jobs:
                job.result()
        step("set-up: database migrated, static files collected")

        os.environ.update(scene.env)
        import django

        django.setup()
        import logging

        from django.conf import settings

        # The seeding below would log every page it publishes.
        logging.getLogger("wagtail").setLevel(logging.WARNING)

        content = seed()
        nginx_conf = scene.write_nginx(tls, Path(settings.STATIC_ROOT))
        run(
            [
                NGINX,
                "-t",
                "-e",
                str(scene.logs / "nginx-error.log"),
                "-c",
                str(nginx_conf),
            ],
            scene.env,
            scene.logs / "nginx-t.log",
        )
        scene.start(
            "nginx",
            [
                NGINX,
                "-e",
                str(scene.logs / "nginx-error.log"),
                "-c",
                str(nginx_conf),
                "-g",
                "daemon off;",
            ],
        )
        scene.start_app(0)
        scene.start_app(1)
        scene.start_worker()
        browser = Browser(scene, tls)
        wait_for(lambda: browser.get("/healthz/").ok, 30, "nginx to answer")
        step("start: nginx, two app servers and a worker")

        check_sessions(scene, browser)
        step("sessions: signed in through one server, recognised by both")
        check_sign_in_limit(scene, tls)
        step("sign-in limit: 5 failures over both servers, the 6th refused (429)")
        certificate = check_one_certificate(scene, browser, content)
        step("one certificate: 20 parallel completions, 1 certificate, 1 render")
        check_files(scene, browser, tls, certificate)
        step("files: image from nginx; certificate by X-Accel-Redirect, signed")
        check_mail(scene, tls)
        step("mail: a reset e-mail queued by the app, delivered once by the worker")
        report = check_worker_killed(scene, browser, tls, content)
        step(
            "health and worker killed: waiting task reported "
            f"({report['healthz']['tasks']['oldest_waiting_seconds']}s); "
            f"render ran {report['runs']} times, PDF signed"
        )
        stopped = check_server_stopped(scene, tls)
        step(
            f"server stopped: {stopped['requests']} GETs while one app server was "
            "stopped then the other killed, none lost"
        )
        mails = check_mail_once(scene)
        step(f"mail once: {mails} e-mails delivered, each once, each in the outbox")
        logs = check_logs(scene)
        step(
            f"logs: {logs['json_lines']} JSON lines, {logs['with_request_id']} with a "
            "request id, no officer's address or name"
        )
    except CheckFailed as failure:
        say(f"FAILED: {failure}")
        scene.tail_logs()
        scene.clean_up()
        return 1
    except BaseException:
        scene.tail_logs()
        scene.clean_up()
        raise
    scene.clean_up()
    say(f"deploy-check passed in {time.monotonic() - STARTED:.0f}s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
