"""Settings kept in the data directory (本机配置文件): ``<ONESEAL_DATA_DIR>/oneseal.env``.

`oneseal demo` writes this file once (mode 0600): a random ``SECRET_KEY`` and
``ONESEAL_DEV=1``. Every `oneseal` subcommand reads it before Django starts, so that after
`make demo` the command line works in any terminal with no environment variables. Variables
already in the environment win over the file. Lines are ``NAME=value``; blank lines and
lines starting with ``#`` are ignored.

Standard library only: `oneseal.cli` uses it before loading Django.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

FILE_NAME = "oneseal.env"
PROJECT_DIR = Path(__file__).resolve().parents[3]  # the checkout (src/oneseal/config/..)


def data_dir() -> Path:
    """The data directory, as the settings compute it (``ONESEAL_DATA_DIR``, or var/)."""
    return Path(os.environ.get("ONESEAL_DATA_DIR") or PROJECT_DIR / "var")


def env_file(directory: Path | None = None) -> Path:
    return (directory or data_dir()) / FILE_NAME


def read(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, _sep, value = line.partition("=")
        values[name.strip()] = value.strip()
    return values


def load(directory: Path | None = None) -> Path | None:
    """Put the file's variables into the environment (unless already set); the file read,
    or None when there is none."""
    path = env_file(directory)
    if not path.is_file():
        return None
    for name, value in read(path).items():
        os.environ.setdefault(name, value)
    return path


def ensure_demo_file(directory: Path | None = None) -> Path:
    """Write the demo's settings once (a new random secret key), readable by the owner only;
    an existing file is kept as it is."""
    path = env_file(directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = ("# Written by `oneseal demo`: the settings of this demo's data directory.\n"
            "# Read by every `oneseal` command (the environment wins). Keep it private.\n"
            f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
            "ONESEAL_DEV=1\n")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    return path
