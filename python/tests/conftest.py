"""Shared fixtures: the egan binary the package uses, and a runner for the CLI itself (the independent side of
every "equal to the CLI's JSON" test)."""

import json
import subprocess

import pytest

from effectivegan import _egan


@pytest.fixture(scope="session")
def cli():
    def run(*arguments):
        output = subprocess.run([str(_egan.binary()), *arguments, "--format", "json"], check=True,
                                capture_output=True, text=True).stdout
        return json.loads(output)

    return run


def without_command(document):
    """The JSON without what legitimately differs between two runs: provenance's command line (it names the
    flags as they were typed) and measured wall times."""
    if isinstance(document, list):
        return [without_command(item) for item in document]
    if not isinstance(document, dict):
        return document
    cleaned = {key: without_command(value) for key, value in document.items() if key != "wallTime"}
    if isinstance(cleaned.get("provenance"), dict):
        cleaned["provenance"].pop("command", None)
    return cleaned
