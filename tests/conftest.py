"""Shared pytest setup. Fixtures live next to what they serve and are registered here."""

pytest_plugins = [
    "tests.emulator.pytest_plugin",
    "tests.caldav.pytest_plugin",  # Radicale and Xandikos on loopback
    "tests.rules.accuracy",  # prints the classification accuracy line
]
