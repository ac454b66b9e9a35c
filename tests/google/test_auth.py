"""connect / disconnect / token handling, through the real CLI and the real OAuth flow."""

from __future__ import annotations

import json
import stat

from sync.google.auth import APP_CREATED_SCOPE, CALENDARLIST_SCOPE, OWNED_SCOPE, READ_SCOPE


def test_connect_saves_a_private_token_with_least_privilege_scopes(home):
    result = home.run("connect")
    assert result.returncode == 0, result.stderr
    mode = stat.S_IMODE(home.token_file.stat().st_mode)
    assert mode == 0o600
    assert stat.S_IMODE(home.data_dir.stat().st_mode) == 0o700  # made by connect, private
    # Read events, list calendar names (to find the follow-ups calendar again), write
    # only the calendar the tool creates.
    assert home.emulator.granted_scopes == [
        frozenset({READ_SCOPE, CALENDARLIST_SCOPE, APP_CREATED_SCOPE})
    ]
    data = json.loads(home.token_file.read_text())
    assert data["refresh_token"]
    assert data["followup"]["token_uri"] == home.emulator.root + "token"
    assert data["followup"]["target"] == "followups"
    # No token text on the terminal.
    assert data["refresh_token"] not in result.stdout + result.stderr
    assert data["token"] not in result.stdout + result.stderr


def test_connect_target_primary_asks_to_write_own_calendars_and_to_empty_the_old_one(home):
    result = home.run("connect", "--target", "primary")
    assert result.returncode == 0, result.stderr
    # `app.created` stays: switching moves the reminders out of the follow-ups calendar.
    assert home.emulator.granted_scopes == [
        frozenset({READ_SCOPE, CALENDARLIST_SCOPE, APP_CREATED_SCOPE, OWNED_SCOPE})
    ]
    assert json.loads(home.token_file.read_text())["followup"]["target"] == "primary"


def test_connect_no_browser_prints_url_and_ssh_forwarding(home):
    # Nobody opens the URL, so the flow times out; what matters is what it printed.
    result = home.run("connect", "--no-browser", "--port", "0", "--timeout", "2", timeout=60)
    assert "o/oauth2/auth" in result.stdout
    assert "ssh -L" in result.stdout
    assert result.returncode == 75
    assert not home.token_file.exists()


def test_malformed_credentials_file_is_a_config_error_naming_the_file(home):
    bad = home.config_dir / "credentials.json"
    bad.write_text("{not json")
    result = home.run("connect")
    assert result.returncode == 2
    assert str(bad) in result.stderr
    assert "Desktop app" in result.stderr


def test_web_client_and_missing_fields_are_named(home):
    bad = home.config_dir / "web.json"
    bad.write_text(json.dumps({"web": {"client_id": "x"}}))
    result = home.run("connect", "--credentials", str(bad))
    assert result.returncode == 2
    assert str(bad) in result.stderr and '"web"' in result.stderr
    bad.write_text(
        json.dumps({"installed": {"client_id": "x", "auth_uri": "http://example.com/a"}})
    )
    result = home.run("connect", "--credentials", str(bad))
    assert result.returncode == 2
    for field in ("installed.client_secret", "installed.token_uri", "installed.auth_uri"):
        assert field in result.stderr


def test_disconnect_revokes_and_deletes(connected):
    refresh = json.loads(connected.token_file.read_text())["refresh_token"]
    result = connected.run("disconnect")
    assert result.returncode == 0, result.stderr
    assert not connected.token_file.exists()
    assert connected.emulator.count("oauth.revoke") == 1
    assert connected.emulator.oauth._grants[refresh].revoked


def test_disconnect_deletes_even_when_revoke_fails(connected):
    connected.emulator.revoke_refresh_tokens()  # the revoke endpoint now answers 400
    result = connected.run("disconnect")
    assert result.returncode == 0
    assert "warning" in result.stderr
    assert not connected.token_file.exists()
