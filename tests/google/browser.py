"""A stand-in browser for `followup connect`: GET the consent URL, follow the redirect
to the loopback port. `webbrowser` waits for the BROWSER command, and the flow only
starts serving its port after the browser command returns, so this detaches first."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request


def main() -> None:
    url = sys.argv[1]
    if os.environ.get("_FOLLOWUP_TEST_BROWSER_CHILD") != "1":
        env = dict(os.environ, _FOLLOWUP_TEST_BROWSER_CHILD="1")
        subprocess.Popen(
            [sys.executable, __file__, url],
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return
    for _ in range(50):
        try:
            with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310
                answer.read()
            return
        except OSError:
            time.sleep(0.1)


if __name__ == "__main__":
    main()
