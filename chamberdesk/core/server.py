"""PostgreSQL server connections: URLs from a form, passwords from the OS keyring, clerk-readable errors."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url

from chamberdesk.core.errors import ChamberDeskError

KEYRING_SERVICE = "ChamberDesk"
DEFAULT_PORT = 5432


class ConnectionLost(ChamberDeskError):
    """The server went away (network, restart, administrator) in the middle of an operation."""


@dataclass
class ServerAddress:
    """What the connection form asks for; the password is never part of it."""

    host: str
    database: str
    user: str
    port: int = DEFAULT_PORT

    def url(self, password: str | None = None) -> str:
        return URL.create("postgresql+psycopg", username=self.user, password=password or None,
                          host=self.host, port=self.port, database=self.database).render_as_string(
                              hide_password=False)

    def display(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def keyring_key(self) -> str:
        return self.display()

    @classmethod
    def from_url(cls, url: str) -> ServerAddress:
        u = make_url(normalise_url(url))
        return cls(host=u.host or "localhost", database=u.database or "", user=u.username or "",
                   port=u.port or DEFAULT_PORT)


def is_server_url(target: str) -> bool:
    return target.startswith(("postgresql://", "postgresql+", "postgres://"))


def normalise_url(url: str) -> str:
    """`postgresql://` and `postgres://` mean the psycopg (v3) driver, the one we ship."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def redact(url: str) -> str:
    """The URL with any password replaced, fit for messages and logs."""
    if "://" not in url:
        return url  # a file path holds no secret
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<数据库地址>"


# --- passwords in the OS keyring (Windows Credential Manager, macOS Keychain, Secret Service) --------


def _keyring() -> Any:
    try:
        import keyring
        from keyring.errors import KeyringError  # noqa: F401
    except ImportError:
        return None
    return keyring


def load_password(addr: ServerAddress) -> str | None:
    kr = _keyring()
    if kr is None:
        return None
    try:
        return kr.get_password(KEYRING_SERVICE, addr.keyring_key())
    except Exception:  # no usable backend (a headless Linux box): the form asks instead
        return None


def save_password(addr: ServerAddress, password: str) -> bool:
    """True when the keyring took it; False means: ask at every start, never write it to a file."""
    kr = _keyring()
    if kr is None:
        return False
    try:
        kr.set_password(KEYRING_SERVICE, addr.keyring_key(), password)
    except Exception:
        return False
    return True


def forget_password(addr: ServerAddress) -> None:
    kr = _keyring()
    if kr is None:
        return
    with contextlib.suppress(Exception):
        kr.delete_password(KEYRING_SERVICE, addr.keyring_key())


# --- errors a clerk can act on -------------------------------------------------------------------


def _translate(ctx: Any) -> None:
    if ctx.is_pre_ping:  # the pool is checking a pooled connection: let it reconnect quietly
        return
    exc = ctx.original_exception
    text = str(exc)
    if ctx.is_disconnect or "terminating connection" in text or "server closed the connection" in text:
        raise ConnectionLost("与数据库服务器的连接中断，本次保存已撤销，没有写入任何内容。"
                             "请检查网络后重新保存（窗口中的输入仍然保留）。") from exc
    if ctx.connection is None and "password authentication failed" in text:
        raise ChamberDeskError("数据库服务器拒绝登录：用户名或密码不正确。") from exc
    if ctx.connection is None and ("Connection refused" in text or "could not translate host name" in text
                                   or "timeout expired" in text or "No route to host" in text):
        raise ConnectionLost("无法连接数据库服务器：请检查服务器地址、端口和网络，或请管理员确认服务器已开启。") from exc
    if ctx.connection is None and "does not exist" in text and "database" in text:
        raise ChamberDeskError("数据库服务器上没有这个数据库，请核对数据库名称。") from exc


def install_error_translation(engine: Engine) -> None:
    """Turn a lost or refused server connection into a ChamberDeskError with a Chinese message."""
    if not event.contains(engine, "handle_error", _translate):
        event.listen(engine, "handle_error", _translate)


CONNECT_TIMEOUT_S = 5  # an unreachable address fails the probe in seconds, not after TCP's minutes


def server_version(url: str, *, timeout_s: int = CONNECT_TIMEOUT_S) -> str:
    """Connect once and ask the server its version; raises ChamberDeskError (Chinese) on failure."""
    from sqlalchemy import text

    from chamberdesk.core.db import make_engine

    sep = "&" if "?" in url else "?"
    engine = make_engine(f"{url}{sep}connect_timeout={timeout_s}")
    try:
        with engine.connect() as conn:
            version = conn.execute(text("SHOW server_version")).scalar()
    except ChamberDeskError:
        raise
    except Exception as exc:
        raise ChamberDeskError(f"无法连接数据库服务器：{exc}") from exc
    finally:
        engine.dispose()
    return str(version)
