"""Probing a database server: a refused address fails quickly with a Chinese message, never a traceback."""

from __future__ import annotations

import socket
import time

import pytest

from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.core.server import ServerAddress, server_version


def closed_port() -> int:
    with socket.socket() as s:  # bound then released: nothing listens there
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_refused_server_is_a_clean_error() -> None:
    pytest.importorskip("psycopg")
    url = ServerAddress("127.0.0.1", "chamberdesk", "clerk", closed_port()).url("secret")
    t = time.monotonic()
    with pytest.raises(ChamberDeskError, match="无法连接数据库服务器"):
        server_version(url, timeout_s=2)
    assert time.monotonic() - t < 10
