"""Where things live on disk: the user's config, data (state) and log directories.

platformdirs gives the right place per OS (XDG on Linux). `FOLLOWUP_CONFIG_DIR` and
`FOLLOWUP_DATA_DIR` override them (tests, the demo, several accounts side by side).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP = "interview-followup"


@dataclass(frozen=True)
class Paths:
    config_dir: Path
    data_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def rules_file(self) -> Path:
        return self.config_dir / "rules.toml"

    @property
    def credentials_file(self) -> Path:
        return self.config_dir / "credentials.json"

    @property
    def token_file(self) -> Path:
        return self.data_dir / "token.json"

    @property
    def state_file(self) -> Path:
        return self.data_dir / "state.sqlite3"

    @property
    def lock_file(self) -> Path:
        return self.data_dir / "sync.lock"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "log" / "followup.log"

    @property
    def ics_dir(self) -> Path:
        return self.data_dir / "ics"


def default_paths() -> Paths:
    config = os.environ.get("FOLLOWUP_CONFIG_DIR") or platformdirs.user_config_dir(APP)
    data = os.environ.get("FOLLOWUP_DATA_DIR") or platformdirs.user_data_dir(APP)
    return Paths(config_dir=Path(config), data_dir=Path(data))
