"""The language registry every part shares: canonical names, aliases, file extensions and the
tree-sitter grammar of each language. Toolchains (how to compile and run) live in the sandbox,
keyed by these canonical names."""

from __future__ import annotations

from dataclasses import dataclass

from coderforge.errors import CoderforgeError


class UnknownLanguageError(CoderforgeError, ValueError):
    """A language name no entry of the registry answers to."""


@dataclass(frozen=True)
class Language:
    name: str
    """Canonical name, used in configs, records and file names (`python`, `cpp`, `csharp`)."""
    display: str
    """Human name for reports (`C++`, `C#`)."""
    extensions: tuple[str, ...]
    """File extensions, with the dot; the first is the one written for new files."""
    aliases: tuple[str, ...] = ()
    """Other names users and markdown fences use (`py`, `c++`, `golang`)."""
    grammar: str | None = None
    """tree-sitter-language-pack grammar name; None when the language has none."""


LANGUAGES: tuple[Language, ...] = (
    Language("python", "Python", (".py", ".pyi"), ("py", "python3", "py3"), "python"),
    Language("javascript", "JavaScript", (".js", ".mjs", ".cjs", ".jsx"), ("js", "node", "nodejs", "jsx"),
             "javascript"),
    Language("typescript", "TypeScript", (".ts", ".mts", ".cts"), ("ts",), "typescript"),
    Language("java", "Java", (".java",), (), "java"),
    Language("c", "C", (".c", ".h"), (), "c"),
    Language("cpp", "C++", (".cpp", ".cc", ".cxx", ".hpp", ".hh", ".hxx"), ("c++", "cxx", "cc"), "cpp"),
    Language("go", "Go", (".go",), ("golang",), "go"),
    Language("rust", "Rust", (".rs",), ("rs",), "rust"),
    Language("bash", "Bash", (".sh", ".bash"), ("sh", "shell", "zsh"), "bash"),
    Language("php", "PHP", (".php",), (), "php"),
    Language("csharp", "C#", (".cs",), ("cs", "c#", "c-sharp"), "csharp"),
    Language("ruby", "Ruby", (".rb",), ("rb",), "ruby"),
    Language("kotlin", "Kotlin", (".kt", ".kts"), ("kt",), "kotlin"),
    Language("scala", "Scala", (".scala", ".sc"), (), "scala"),
    Language("swift", "Swift", (".swift",), (), "swift"),
    Language("lua", "Lua", (".lua",), (), "lua"),
    Language("sql", "SQL", (".sql",), (), "sql"),
    Language("haskell", "Haskell", (".hs",), ("hs",), "haskell"),
    Language("r", "R", (".r", ".R"), (), "r"),
)

_BY_NAME: dict[str, Language] = {}
for _lang in LANGUAGES:
    for _key in (_lang.name, *_lang.aliases):
        _BY_NAME[_key.lower()] = _lang
_BY_EXTENSION: dict[str, Language] = {ext: lang for lang in LANGUAGES for ext in lang.extensions}


def get_language(name: str) -> Language:
    """The language a name or alias stands for (case-insensitive); raises UnknownLanguageError."""
    try:
        return _BY_NAME[name.strip().lower()]
    except KeyError:
        known = ", ".join(lang.name for lang in LANGUAGES)
        raise UnknownLanguageError(f"unknown language {name!r}; known: {known} (and their usual aliases)") from None


def canonical_name(name: str) -> str:
    return get_language(name).name


def language_for_extension(suffix: str) -> Language | None:
    """The language a file extension (with its dot) belongs to, if any. `.h` counts as C."""
    return _BY_EXTENSION.get(suffix) or _BY_EXTENSION.get(suffix.lower())
