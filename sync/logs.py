"""Logging for unattended runs: a rotating file in the data directory, quiet stderr.

cron mails whatever a job prints, so a successful pass prints nothing; `-v` shows the
detail on stderr as well. Tokens never reach a log: a filter masks anything that looks
like an OAuth access or refresh token, whatever library logged it.
"""

from __future__ import annotations

import logging
import os
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path

from sync.fileio import private_dir

_SECRET = re.compile(
    r"(ya29\.[\w.-]+|1//[\w.-]{10,}|"
    r"(?:access_token|refresh_token|client_secret|code)[\"']?\s*[:=]\s*[\"']?[\w./-]{6,})"
)


class PrivateRotatingFileHandler(RotatingFileHandler):
    """The log names interviews, companies and addresses: readable by the user only,
    including each file a rotation starts."""

    def _open(self):  # noqa: ANN202 - logging's own signature
        stream = super()._open()
        os.chmod(self.baseFilename, 0o600)
        return stream


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = _SECRET.sub(lambda m: m.group(0)[:6] + "[redacted]", message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def setup_logging(log_file: Path | None, verbosity: int = 0) -> None:
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    root.setLevel(logging.DEBUG if verbosity > 1 else logging.INFO)
    redact = RedactTokens()
    if log_file is not None:
        try:
            private_dir(log_file.parent)
            to_file = PrivateRotatingFileHandler(
                log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
            )
        except OSError:
            to_file = None
        if to_file is not None:
            to_file.setFormatter(
                logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
            )
            to_file.addFilter(redact)
            root.addHandler(to_file)
    if verbosity:
        to_stderr = logging.StreamHandler()
        to_stderr.setLevel(logging.DEBUG if verbosity > 1 else logging.INFO)
        to_stderr.setFormatter(logging.Formatter("%(message)s"))
        to_stderr.addFilter(redact)
        root.addHandler(to_stderr)
    # The Google client logs every request URL at INFO; keep that for -vv only.
    logging.getLogger("googleapiclient").setLevel(
        logging.DEBUG if verbosity > 1 else logging.WARNING
    )
