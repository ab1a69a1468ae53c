"""The app's words: every UI string is looked up by key in one file per language.

`ganzoo/locales/<code>.toml` holds a language: its name (`language = "Français"`) and its strings
in tables named after the page or part that uses them ([toy] holds "toy.*"). A third language is
one new file; a key missing from it falls back to English. A test checks that every file has the
keys of en.toml with the same {fields}.
"""

import tomllib
from pathlib import Path

LOCALES_DIR = Path(__file__).resolve().parents[1] / "locales"
DEFAULT_LANG = "en"


def load_locale(path) -> tuple[str, dict]:
    """(language name, {full key: text}) from one locale file."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    strings = {f"{group}.{key}": text for group, table in data.items() if isinstance(table, dict)
               for key, text in table.items()}
    return data.get("language", Path(path).stem), strings


_LOCALES = {path.stem: load_locale(path) for path in sorted(LOCALES_DIR.glob("*.toml"))}
# English first, then the others by code: the order of the sidebar's language picker.
LANGS = {code: _LOCALES[code][0] for code in sorted(_LOCALES, key=lambda c: (c != DEFAULT_LANG, c))}
STRINGS = {code: strings for code, (_, strings) in _LOCALES.items()}


def tr(key: str, lang: str = DEFAULT_LANG, **fields) -> str:
    """The text for `key` in `lang` (English where the language or the key is missing), with
    `fields` formatted in. An unknown key raises KeyError: a typo fails loudly in the tests."""
    text = STRINGS.get(lang, {}).get(key) or STRINGS[DEFAULT_LANG][key]
    return text.format(**fields) if fields else text


class VisitorError(ValueError):
    """An error a visitor sees: a message key and its fields, shown in the visitor's language;
    str() is the English text, for logs and the command-line tools."""

    def __init__(self, key: str, **fields):
        self.key, self.fields = key, fields
        super().__init__(tr(key, DEFAULT_LANG, **fields))

    def text(self, lang: str) -> str:
        return tr(self.key, lang, **self.fields)
