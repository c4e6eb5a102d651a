"""Write the local .env that `make run` uses: DEBUG on, a generated SECRET_KEY, SITE_URL at the real port.

Run by `make run` before anything else, so every README `manage.py` command then works on the
embedded default with nothing set. A .env this script did not write (a production one) is never
touched. Standalone on purpose: it runs before Django's settings can load.
"""

from __future__ import annotations

import argparse
import re
import secrets
import sys
from pathlib import Path

MARKER = "# Written by `make run` for local development"


def dev_env_write(*, path: Path, site_url: str) -> str:
    """Create the file, or point its SITE_URL at site_url; return what was done, in a few words."""
    if not path.exists():
        path.write_text(
            f"{MARKER} (DEBUG on). Never use it in production: start from .env.example.\n"
            "DEBUG=true\n"
            f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
            f"SITE_URL={site_url}\n"
        )
        return f"wrote {path} (DEBUG on, a new SECRET_KEY)"
    text = path.read_text()
    if not text.startswith(MARKER):
        return f"using {path} as it is (make run did not write it)"
    line = f"SITE_URL={site_url}"
    new, found = re.subn(r"(?m)^SITE_URL=.*$", line, text)
    if not found:
        new = text.rstrip("\n") + f"\n{line}\n"
    if new != text:
        path.write_text(new)
        return f"{path}: {line}"
    return f"using {path}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-url", required=True, help="where runserver listens, e.g. http://127.0.0.1:8001")
    parser.add_argument("--path", type=Path, default=Path(__file__).resolve().parent.parent / ".env")
    args = parser.parse_args(argv)
    print(dev_env_write(path=args.path, site_url=args.site_url.rstrip("/")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
