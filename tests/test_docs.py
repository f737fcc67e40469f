"""README is what a newcomer needs; the reference lives in docs/, and both say
what the code does (the public interfaces named in this round's issues)."""

from __future__ import annotations

import re
from pathlib import Path

from stretchtui.cli import COMMANDS, build_parser

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md"))}


def test_readme_is_short_and_starts_with_the_two_commands():
    lines = README.splitlines()
    assert len(lines) <= 300, len(lines)
    first = "\n".join(lines[:8])
    assert ".venv/bin/pip install . && .venv/bin/stretchtui" in first
    assert ".venv/bin/pip install '.[test]' && .venv/bin/python -m pytest" in first
    assert "does not diagnose" in README and "PATH" in README


def test_readme_links_every_doc_and_every_link_resolves():
    for name in DOCS:
        assert f"(docs/{name})" in README, name

    def slug(heading: str) -> str:
        text = re.sub(r"[^\w\- ]", "", heading.strip().lstrip("#").strip().lower())
        return text.replace(" ", "-")

    files = [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]
    anchors = {f.resolve(): {slug(line) for line in f.read_text().splitlines() if line.startswith("#")} for f in files}
    for f in files:
        for link in re.findall(r"\]\(([^)\s]+)\)", f.read_text()):
            if link.startswith("http"):
                continue
            path, _, anchor = link.partition("#")
            target = (f.parent / path).resolve() if path else f.resolve()
            assert target.exists(), (f.name, link)
            if anchor and target.suffix == ".md":
                assert anchor in anchors[target], (f.name, link)


def test_the_command_reference_names_every_command_and_flag():
    commands = DOCS["commands.md"] + DOCS["files.md"] + DOCS["server.md"] + DOCS["config.md"]
    for name in COMMANDS:
        if name:
            assert f"stretchtui {name}" in commands, name
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, command in dict(sub.choices or {}).items():
        for action in command._actions:
            flags = [f for f in action.option_strings if f not in ("-h", "--help", "--data-dir")]
            if flags:  # documented under one of its names (-o or --output)
                assert any(f in commands for f in flags), (name, flags)


def test_this_rounds_interfaces_are_documented():
    everything = README + "".join(DOCS.values())
    for text in ["stretchtui share", "import --code", "stretchtui symptoms", "symptoms clear",
                 "catalog --search", "--max-sessions", "countdown_font", "[y/N]"]:
        assert text in everything, text
    assert re.search(r"--respond [^\n]*central", everything), "--respond central"


def test_readme_names_what_a_newcomer_uses_from_the_open_issues():
    # The reference is in docs/; README names these so a newcomer finds them on the first page.
    flat = " ".join(README.split())
    for text in ["stretchtui share NAME", "stretchtui import --code", "stretchtui import handout.html",
                 "stretchtui catalog --search TEXT [--json]", "stretchtui symptoms [--json]",
                 "stretchtui symptoms clear STRETCH|all", "comes back on the screen you left"]:
        assert text in flat, text
