"""config.toml: loading (good, bad, missing, unknown keys), the schema, `stretchtui config`, and the app."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from stretchtui.cli import main
from stretchtui.core.storage.config import (
    CUE_METHODS,
    FIGURE_STYLES,
    KEYS,
    Settings,
    config_path,
    load_config,
    parse_config,
    schema,
    template,
)

ROOT = Path(__file__).resolve().parent.parent

GOOD = """\
# my settings
theme = "nord"
figure_style = "ascii"
cue_method = "osc777"
export_folder = "~/stretch-files"

[keymap]
"player.pause" = "p"
"builder.save" = "ctrl+s, f2"
"""


@pytest.fixture
def cfg(tmp_path, monkeypatch):
    path = tmp_path / "conf" / "config.toml"
    monkeypatch.setenv("STRETCHTUI_CONFIG", str(path))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------ where
def test_path_is_the_env_var_else_the_platform_config_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("STRETCHTUI_CONFIG", "~/x/c.toml")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert config_path() == tmp_path / "x" / "c.toml"
    monkeypatch.delenv("STRETCHTUI_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert config_path() == tmp_path / "xdg" / "stretchtui" / "config.toml"


# ------------------------------------------------------------------ loading
def test_missing_file_gives_defaults_and_no_problem(cfg):
    settings = load_config()
    assert settings == Settings(path=cfg)
    assert settings.problem_line is None and settings.theme is None and settings.keymap == {}


def test_good_file(cfg, tmp_path):
    settings = load_config(write(cfg, GOOD))
    assert settings.problems == ()
    assert (settings.theme, settings.figure_style, settings.cue_method) == ("nord", "ascii", "osc777")
    assert settings.export_folder == tmp_path / "home" / "stretch-files"
    assert settings.keymap == {"player.pause": "p", "builder.save": "ctrl+s,f2"}
    assert settings.flavours() == ("777",)
    assert settings.export_path("a.routine.json") == str(tmp_path / "home" / "stretch-files" / "a.routine.json")


def test_invalid_toml_gives_all_defaults_and_one_line_with_file_and_line(cfg):
    write(cfg, 'theme = "nord"\nfigure_style = \n')
    settings = load_config()
    assert settings.unreadable and settings.theme is None and settings.figure_style == "auto"
    line = settings.problem_line
    assert line.startswith(f"config {cfg}, line 2: not valid TOML")
    assert line.endswith("using the default settings") and "\n" not in line


def test_bad_values_fall_back_one_by_one_and_are_named_with_their_line(cfg):
    write(cfg, 'theme = "nord"\nfigure_style = "huge"\ncue_method = 9\n\n[keymap]\n"player.pause" = ""\n"x.y" = "q"\n')
    settings = load_config()
    assert settings.theme == "nord" and settings.keymap == {"x.y": "q"}  # the good ones are kept
    assert settings.figure_style == "auto" and settings.cue_method == "auto"
    assert [(p.line, p.message.split(" ")[0]) for p in settings.problems] == [
        (2, "figure_style"), (3, "cue_method"), (6, "keymap")]
    assert settings.problem_line == (
        f"config {cfg}, line 2: figure_style 'huge' is not one of {', '.join(FIGURE_STYLES)}; using the default "
        "for it (and 2 more problems: `stretchtui config show` lists them)")


def test_unknown_keys_are_reported_with_a_suggestion(cfg):
    write(cfg, 'theme = "nord"\nfigure-style = "big"\ncolour = "red"\n')
    settings = load_config()
    assert settings.theme == "nord" and settings.figure_style == "auto"
    messages = [str(p) for p in settings.problems]
    assert messages == [f"{cfg}, line 2: unknown key 'figure-style' (did you mean 'figure_style'?)",
                        f"{cfg}, line 3: unknown key 'colour' (the keys are {', '.join(KEYS)})"]


@pytest.mark.parametrize("content, problem", [
    (b"\xff\xfe", "is not UTF-8 text"),
    (None, "is a folder, not a file"),
])
def test_unreadable_files_never_raise(cfg, content, problem):
    if content is None:
        cfg.mkdir(parents=True)
    else:
        cfg.parent.mkdir(parents=True)
        cfg.write_bytes(content)
    settings = load_config()
    assert settings.unreadable and problem in settings.problem_line


# ------------------------------------------------------------------ template and schema
def test_template_is_valid_and_means_the_defaults():
    assert parse_config(template(), Path("t.toml")) == Settings(path=Path("t.toml"))
    for key in KEYS:
        assert f"# {key} = " in template() or f"[{key}]" in template()


def test_schema_matches_the_loader():
    jsonschema = pytest.importorskip("jsonschema")
    sch = schema()
    jsonschema.Draft202012Validator.check_schema(sch)
    assert set(sch["properties"]) == set(KEYS)
    assert sch["properties"]["figure_style"]["enum"] == list(FIGURE_STYLES)
    assert sch["properties"]["cue_method"]["enum"] == list(CUE_METHODS)
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10
        import tomli as tomllib

    validator = jsonschema.Draft202012Validator(sch)
    assert not list(validator.iter_errors(tomllib.loads(GOOD)))
    for bad in ('figure_style = "huge"', "theme = 5", 'colour = "x"', '[keymap]\n"player.pause" = 5'):
        assert list(validator.iter_errors(tomllib.loads(bad))), bad
        assert parse_config(bad, Path("c.toml")).problems, bad


def test_the_docs_document_every_key():
    config_doc = (ROOT / "docs" / "config.md").read_text(encoding="utf-8")
    for key in KEYS:
        assert f"`{key}`" in config_doc, key


# ------------------------------------------------------------------ stretchtui config
def test_config_path_and_show(cfg, capsys):
    assert run(capsys, "config", "path") == (0, f"{cfg}\n", "")
    code, out, err = run(capsys, "config")
    assert code == 0 and "no such file yet" in out and 'figure_style = "auto"' in out
    write(cfg, GOOD)
    code, out, err = run(capsys, "config", "show")
    assert code == 0 and err == ""
    assert 'theme = "nord"' in out and '"player.pause" = "p"' in out
    write(cfg, 'theme = "nord"\ncue_method = "loud"\n')
    code, out, err = run(capsys, "config", "show")
    assert code == 2 and 'theme = "nord"' in out
    assert err == f"stretchtui: config {cfg}, line 2: cue_method 'loud' is not one of {', '.join(CUE_METHODS)}\n"


def test_config_edit_creates_the_commented_template_and_opens_the_editor(cfg, capsys, monkeypatch, tmp_path):
    seen = tmp_path / "seen"
    editor = tmp_path / "editor.sh"
    editor.write_text(f'#!/bin/sh\ncp "$1" {seen}\necho \'theme = "nord"\' > "$1"\n')
    editor.chmod(0o755)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(editor))
    code, out, err = run(capsys, "config", "edit")
    assert code == 0 and f"Created {cfg}" in out and "is fine" in out
    assert seen.read_text() == template()  # the editor was given the template
    assert load_config().theme == "nord"
    editor.write_text('#!/bin/sh\necho \'theme = \' > "$1"\n')
    code, out, err = run(capsys, "config", "edit")
    assert code == 2 and "Created" not in out and f"config {cfg}, line 1: not valid TOML" in err


def test_export_uses_the_export_folder(cfg, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "out"
    folder.mkdir()
    write(cfg, f'export_folder = "{folder}"\n')
    code, _out, err = run(capsys, "--data-dir", str(tmp_path / "data"), "export", "Sciatica relief")
    assert code == 0, err
    assert json.loads((folder / "sciatica-relief.routine.json").read_text())["name"] == "Sciatica relief"


def test_export_with_a_bad_config_still_works_and_says_one_line(cfg, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(cfg, "export_folder = [1]\n")
    code, _out, err = run(capsys, "--data-dir", str(tmp_path / "data"), "export", "Sciatica relief")
    assert code == 0 and (tmp_path / "sciatica-relief.routine.json").exists()
    assert err == f"stretchtui: config {cfg}, line 1: export_folder must be text in quotes, not a list; using the default for it\n"
