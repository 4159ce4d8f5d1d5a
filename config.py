"""Settings from the environment (CONTRACT §2)."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent
INSTANCE = ROOT / "instance"


class ConfigError(SystemExit):
    """A setting the app cannot start with: the process ends with this one line on stderr (no traceback), whether
    gunicorn, the job consumer or a `flask` command is starting."""

    def __init__(self, message: str):
        super().__init__(f"Lỗi cấu hình: {message}")


# the example file's value (deploy/awards.env.example) and its kind: copied as is, it is known to everyone
PLACEHOLDER_SECRET_KEY = "change-me-64-hex-chars-the-same-on-every-instance"
MIN_SECRET_KEY = 32


def _secret_key(env: str) -> str:
    """In development a key is generated once into instance/; production must set SECRET_KEY, a real one."""
    key = os.environ.get("SECRET_KEY")
    if key and env == "production":
        if key == PLACEHOLDER_SECRET_KEY or "change-me" in key.lower():
            raise ConfigError("SECRET_KEY vẫn là giá trị mẫu của awards.env.example; tạo khóa mới bằng "
                              "`python3 -c 'import secrets; print(secrets.token_hex(32))'`.")
        if len(key) < MIN_SECRET_KEY:
            raise ConfigError(f"SECRET_KEY quá ngắn ({len(key)} ký tự, cần ít nhất {MIN_SECRET_KEY}); tạo khóa mới "
                              "bằng `python3 -c 'import secrets; print(secrets.token_hex(32))'`.")
    if key:
        return key
    if env == "production":
        raise ConfigError("SECRET_KEY phải được đặt khi AWARDS_ENV=production (xem docs/CONFIGURATION.md).")
    if env == "testing":
        return "testing-secret-key"
    INSTANCE.mkdir(exist_ok=True)
    path = INSTANCE / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _engine_options(url: str) -> dict:
    """Connection pool settings: PostgreSQL only (SQLite keeps SQLAlchemy's own pool for a file). PostgreSQL's pooled
    connections are checked at checkout without a round trip (core.db._closed_by_server), not by pool_pre_ping's
    `SELECT 1` (issue 21: one of a search's five round trips)."""
    options = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        options.update(
            pool_pre_ping=False,
            # per process: instances × workers × (pool_size + max_overflow) must stay below max_connections
            pool_size=int(os.environ.get("DB_POOL_SIZE", "5")),
            max_overflow=int(os.environ.get("DB_MAX_OVERFLOW", "10")),
            pool_timeout=int(os.environ.get("DB_POOL_TIMEOUT", "30")),
            pool_recycle=int(os.environ.get("DB_POOL_RECYCLE", "1800")),  # below any firewall/pgbouncer idle cut
        )
    return options


def _trusted_hosts(env: str) -> list[str] | None:
    """TRUSTED_HOSTS=a.example,b.example; in production PUBLIC_BASE_URL's host (and loopback) when unset, so that a
    forged Host header can neither reach the app nor end up in a link; any host in development and tests."""
    from urllib.parse import urlsplit

    listed = [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()]
    if listed:
        return listed
    if env != "production":
        return None
    return [urlsplit(os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")).hostname, "127.0.0.1", "localhost"]


def load_config(env: str | None = None, **overrides) -> dict:
    """The settings for one environment; overrides win (tests pass theirs here)."""
    env = env or os.environ.get("AWARDS_ENV", "development")
    max_upload_mb = int(os.environ.get("MAX_UPLOAD_MB", "20"))
    redis_url = os.environ.get("REDIS_URL")
    database_url = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'awards.db'}")
    replica_url = os.environ.get("DATABASE_REPLICA_URL")
    config = {
        "AWARDS_ENV": env,
        "TESTING": env == "testing",
        "SECRET_KEY": _secret_key(env),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(database_url),
        # reports' read-only queries on a streaming replica when one is given (awards/core/replica.py)
        "DATABASE_REPLICA_URL": replica_url,
        "REPLICA_ENGINE_OPTIONS": _engine_options(replica_url) if replica_url else {},
        # how many reverse proxies (nginx) stand in front: their X-Forwarded-* headers are then trusted
        "PROXY_COUNT": int(os.environ.get("PROXY_COUNT", "0")),
        # background jobs and schedules on Huey (awards/core/jobs.py, docs/DEPLOY.md §Jobs): "queue" hands them to
        # the consumer `flask jobs run` (Redis when REDIS_URL is set, else the SQLite file JOBS_DB); "immediate"
        # runs them in the caller (the tests)
        "BACKGROUND_JOBS": os.environ.get("BACKGROUND_JOBS", "immediate" if env == "testing" else "queue"),
        "JOBS_DB": os.environ.get("JOBS_DB", str(INSTANCE / "jobs.db")),
        # a job whose process died is run again this many times, this many seconds later, then marked failed
        "JOB_RETRIES": int(os.environ.get("JOB_RETRIES", "2")),
        "JOB_RETRY_DELAY": int(os.environ.get("JOB_RETRY_DELAY", "30")),
        # seconds a stopping consumer (SIGTERM) lets running jobs finish before it hands them back to the queue
        "JOB_SHUTDOWN_TIMEOUT": int(os.environ.get("JOB_SHUTDOWN_TIMEOUT", "60")),
        # the backstop for a machine lost mid-job: a job still running this long after its claim is marked failed
        "JOB_TIMEOUT": int(os.environ.get("JOB_TIMEOUT", "10800")),
        "UPLOAD_DIR": os.environ.get("UPLOAD_DIR", str(INSTANCE / "uploads")),
        "MAX_UPLOAD_MB": max_upload_mb,
        # whole request bodies: one upload plus its form fields
        "MAX_CONTENT_LENGTH": max_upload_mb * 1024 * 1024 + 64 * 1024,
        "MAX_JSON_BYTES": 1024 * 1024,
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        # a sliding window: "5 per minute" means any 60 seconds, not 5 before and 5 after the minute turns
        "RATELIMIT_STRATEGY": "moving-window",
        # scrypt everywhere; the test suite alone trades hashing cost for speed (it signs in hundreds of times)
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000" if env == "testing" else "scrypt",
        # sign-in throttling (awards/auth/throttle.py): attempts per address; wrong passwords per account from all
        # addresses (a browser that signed in to the account before is let through); the longest backoff, seconds
        "LOGIN_RATE_LIMIT": "10 per minute;50 per hour",
        "LOGIN_ACCOUNT_LIMIT": "10 per minute;50 per hour",
        "LOGIN_MAX_DELAY": 15 * 60,
        # wrong two-factor codes per account from every address together; reset links asked for one e-mail address
        "LOGIN_CODE_LIMIT": "5 per minute;20 per hour;50 per day",
        "PASSWORD_RESET_EMAIL_LIMIT": "5 per hour",
        # "remember me" lasts a month (Flask-Login's default is a year); sign-out ends it on the server anyway
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env == "production",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": env == "production",
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "LANGUAGES": ["vi", "en"],
        "PER_PAGE": 50,
        # personal data (docs/PERSONAL-DATA.md, NĐ 13/2023): a public feedback sender's name and contact are erased
        # this many days after the case is resolved (`flask announcements erase-contacts`, daily on the scheduler)
        "FEEDBACK_CONTACT_RETENTION_DAYS": int(os.environ.get("FEEDBACK_CONTACT_RETENTION_DAYS", "90")),
        # how long an e-mail change's confirmation link stays valid (the account page), seconds
        "EMAIL_CONFIRM_MAX_AGE": int(os.environ.get("EMAIL_CONFIRM_MAX_AGE", str(24 * 3600))),
        # mailed notifications: without MAIL_SERVER they stay in the app's inbox only
        "MAIL_SERVER": os.environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "").lower() in ("1", "true", "yes"),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "awards@localhost"),
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        # the Host headers answered (others get 400): the public address's host, and loopback for health checks
        "TRUSTED_HOSTS": _trusted_hosts(env),
        "WTF_CSRF_TIME_LIMIT": None,
        # digital signatures (awards/signing, docs/DEPLOY.md): the roots a signed decision's certificate must chain
        # to (PEM files or folders, comma-separated); the key that signs here (a PKCS#12 file and its passphrase, or
        # a PKCS#11 token); a timestamp authority (RFC 3161) whose token dates each signature made here
        "TRUSTED_ROOTS": os.environ.get("TRUSTED_ROOTS", ""),
        "SIGNING_PKCS12": os.environ.get("SIGNING_PKCS12", ""),
        "SIGNING_PKCS12_PASSPHRASE": os.environ.get("SIGNING_PKCS12_PASSPHRASE", ""),
        "SIGNING_PKCS11_MODULE": os.environ.get("SIGNING_PKCS11_MODULE", ""),
        "SIGNING_PKCS11_TOKEN": os.environ.get("SIGNING_PKCS11_TOKEN", ""),
        "SIGNING_PKCS11_KEY": os.environ.get("SIGNING_PKCS11_KEY", ""),
        "SIGNING_PKCS11_CERT": os.environ.get("SIGNING_PKCS11_CERT", ""),
        "SIGNING_PKCS11_PIN": os.environ.get("SIGNING_PKCS11_PIN", ""),
        "SIGNING_TSA_URL": os.environ.get("SIGNING_TSA_URL", ""),
    }
    config.update(overrides)
    if "SQLALCHEMY_DATABASE_URI" in overrides and "SQLALCHEMY_ENGINE_OPTIONS" not in overrides:
        # the pool settings of the database given (tests, bench), not of DATABASE_URL's
        config["SQLALCHEMY_ENGINE_OPTIONS"] = _engine_options(overrides["SQLALCHEMY_DATABASE_URI"])
    return config
