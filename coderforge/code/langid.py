"""Language identification for code without a reliable label: a hint (fence tag, file name or
extension) when there is one, else a shebang, else cheap lexical cues to shortlist candidates and
parse quality under each shortlisted grammar to decide."""

from __future__ import annotations

import re
from functools import cache
from pathlib import PurePosixPath

from coderforge.code.syntax import parse, supported_languages
from coderforge.languages import UnknownLanguageError, get_language, language_for_extension

__all__ = ["identify_language", "language_scores"]

# (pattern, weight) per language. Patterns are searched with re.MULTILINE; each counts at most 3 hits.
_CUES: dict[str, list[tuple[str, float]]] = {
    "python": [
        (r"^\s*def \w+\(.*\)\s*(->.*)?:\s*$", 3), (r"^\s*from [\w.]+ import [\w*(]", 3),
        (r"^\s*class \w+(\(.*\))?:\s*$", 3), (r"\bself\.\w+", 1), (r"^\s*(elif|except|with|try)\b.*:\s*$", 2),
        (r'"""', 1), (r"\b(None|True|False)\b", 0.5), (r"^\s*import [\w.]+(\s+as \w+)?\s*$", 1),
        (r"^\s*(if|for|while) .*:\s*$", 1), (r"\bprint\(", 0.3),
    ],
    "javascript": [
        (r"\b(const|let|var) \w+ = require\(", 3), (r"\bfunction\s*\w*\s*\(", 1), (r"=>", 0.5),
        (r"\bconsole\.\w+\(", 2), (r"\b(let|const|var) \w+\s*=", 1), (r"\bmodule\.exports\b|\bexports\.\w+", 3),
        (r"===|!==", 1), (r"\bawait\b|\basync\b", 0.5), (r"^['\"]use strict['\"]", 3), (r"\bthis\.\w+", 0.5),
        (r"^\s*import .* from ['\"]", 1), (r"^\s*export (default |const |function |class )", 1),
    ],
    "typescript": [
        (r"\w\)?\??:\s*(string|number|boolean|any|void|unknown|never|object)\b", 3),
        (r"^\s*(export )?(declare )?interface \w+(<.*>)?\s*(extends [\w<>, .]+)?\s*\{", 3),
        (r"^\s*(export )?(declare )?type \w+(<.*>)?\s*=", 3),
        (r"\b(public|private|protected|readonly) \w+\s*[:?(]", 1),
        (r"\bdeclare (function|const|class|module|namespace|var|let)\b", 3),
        (r"\bas (string|number|any|const|unknown)\b", 2), (r"\w+<[\w\[\]]+>\(", 0.5), (r"\): \w+", 1.5),
        (r"^/// <reference ", 4),
    ],
    "java": [
        (r"^\s*package [\w.]+;", 4), (r"^\s*import (static )?[\w.]+(\.\*)?;", 3),
        (r"\bpublic (static )?(final )?(abstract )?(class|interface|enum|void|record)\b", 2),
        (r"\bSystem\.(out|err)\.print", 3), (r"@Override\b", 2), (r"\bString\[\] \w+", 2),
        (r"\b(private|protected|public) (static )?(final )?[\w<>\[\], ]+ \w+\(", 1), (r"\bthrows \w+", 2),
        (r"\bfinal \w+(<.*>)? \w+ =", 1), (r"\bboolean\b", 1), (r"^\s*\*\s*@(param|return|throws|since)\b", 1),
        (r"^\s*(static |final |synchronized |abstract )*[A-Z]\w*(<[\w<>, ?]+>)?(\[\])* \w+\(.*\)\s*"
         r"(throws [\w., ]+)?\s*\{", 1.5),
        (r"\bcatch \((final )?[A-Z]\w* \w+\)", 1), (r"\{@(code|link) ", 2),
    ],
    "c": [
        (r"^\s*#\s*include\s*[<\"][\w/]+\.h[>\"]", 2), (r"^\s*#\s*(define|ifdef|ifndef|endif|if|pragma)\b", 1),
        (r"\b(printf|malloc|free|sizeof|memcpy|strlen)\(", 1), (r"\bstruct \w+\s*\{", 1), (r"\btypedef\b", 1),
        (r"^(static |extern |inline )*(int|void|char|unsigned|long|double|float|size_t)\s+\**\w+\s*\(", 1),
        (r"\w->\w", 0.5), (r"\bextern\b", 1), (r"\bNULL\b", 1), (r"/\*", 0.5), (r"\b__\w+__\b", 1),
    ],
    "cpp": [
        (r"\bstd::", 3), (r"^\s*#\s*include\s*<[a-z_]+>", 2),
        (r"\bnamespace \w+|\btemplate\s*<|\bpublic:|\bprivate:|\bprotected:", 2), (r"\bcout\s*<<|\bcin\s*>>", 3),
        (r"\w::\w", 1), (r"\b(nullptr|constexpr|virtual|override|noexcept|typename|decltype)\b", 1.5),
        (r"\bclass \w+\s*(final\s*)?(:\s*(public|private|protected)\b|\{)", 1.5), (r"\bconst \w+&", 1),
        (r"\boperator\s*\W+\s*\(", 2), (r"\b_GLIBCXX_\w+", 2),
    ],
    "go": [
        (r"^package \w+\s*$", 4), (r"^func (\([\w\s*]+\) )?\w+(\[.*\])?\(", 3), (r":=", 1.5),
        (r"\bfmt\.\w+\(", 2), (r"^import \(\s*$", 3), (r"\berr != nil\b", 3), (r"\bgo func\b|\bchan \w+", 1.5),
        (r"\bmap\[\w+\]|\[\]\w+", 1), (r"^\s*defer\b", 1.5), (r"\bnil\b", 0.5),
    ],
    "rust": [
        (r"\bfn \w+(<.*>)?\(", 3), (r"\blet (mut )?\w+", 1.5),
        (r"\b(impl\b|pub fn|pub struct|pub enum|pub\(crate\)|use (std|crate|super|self|core|alloc)::)", 3),
        (r"\b\w+!\(", 1), (r"&mut\b|&self\b|&'\w+", 1.5), (r"\bmatch \w+.*\{\s*$", 1.5), (r"::new\(", 1),
        (r"^\s*#!?\[\w+", 2), (r"\b(i32|u32|i64|u64|usize|isize|f64|u8|Vec<|Option<|Result<|Box<)", 2),
        (r"\b(Some|Ok|Err)\(", 1), (r"^\s*//[/!] ", 1),
    ],
    "bash": [
        (r"^\s*(if|while|until) \[\[? .*\]\]?;? (then|do)\s*$", 3), (r"^\s*(fi|done|esac)\s*$", 2),
        (r"\$\{\w+", 1), (r"^\s*echo\b", 1.5), (r"^\s*export \w+=", 2), (r"^\s*(function )?\w+\s*\(\)\s*\{", 1),
        (r"\blocal \w+=", 2), (r"\$\(", 1), (r"\s(&&|\|\|)\s", 0.5), (r"^\s*set -\w+", 2), (r"\$[0-9@#?]", 1),
    ],
    "php": [
        (r"<\?php", 6), (r"\$\w+\s*=", 1.5), (r"\$this->", 3), (r"\bfunction \w+\s*\(\s*(\??\w+ )?\$", 3),
        (r"\bnamespace [\w\\]+;", 2), (r"\bpublic function\b", 2), (r"\barray\(", 1),
    ],
    "csharp": [
        (r"^\s*using System(\.\w+)*;", 5), (r"^\s*namespace [\w.]+\s*(\{|;)?\s*$", 1.5), (r"\bConsole\.Write", 3),
        (r"\{ get; (private )?(set; )?\}", 4), (r"\bvar \w+ = new\b", 1), (r"\bstring\[\] \w+", 2),
        (r"\b(async Task|IEnumerable<|List<\w+>|Dictionary<)", 1.5), (r"\b(internal|sealed|readonly)\b", 1),
        (r"^\s*\[\w+(\(.*\))?\]\s*$", 1), (r"\bpublic (static )?(override )?(void|string|int|bool)\b", 1),
    ],
    "ruby": [
        (r"^\s*def (self\.)?\w+[?!]?(\(.*\))?\s*$", 2.5), (r"^\s*end\s*$", 1.5),
        (r"^\s*(require|require_relative|attr_accessor|attr_reader|module) ", 2), (r"\.each(_\w+)?\s*(do|\{)\s*\|", 3),
        (r"\bdo\s*\|\w+", 2), (r"@\w+", 0.5), (r"^\s*(elsif|unless)\b", 3), (r"\bnil\b", 1), (r"\bputs\b", 1.5),
        (r"#\{", 1.5),
    ],
    "kotlin": [
        (r"\bfun (<.*> )?[\w.]+\(", 3), (r"\bval \w+\s*[:=]", 1.5), (r"\bvar \w+\s*:", 1),
        (r"\b(data class|companion object|override fun|when \(|it\.\w+)", 2), (r"\?\.|\?:|!!", 1),
        (r"^\s*package [\w.]+\s*$", 1), (r"\bprintln\(", 1),
    ],
    "scala": [
        (r"\bdef \w+(\[.*\])?(\(.*\))?\s*(:\s*[\w\[\], ]+)?\s*=", 3), (r"\b(object \w+|case class|sealed trait)\b", 2),
        (r"^\s*trait \w+", 1.5), (r"\bval \w+\s*(:\s*\w+)?\s*=", 1), (r"\bimport [\w.]+\._", 3), (r"\bimplicit\b", 2),
        (r"\bcase \w+(\(.*\))? =>", 1.5),
    ],
    "swift": [
        (r"\bfunc \w+(<.*>)?\(", 3), (r"\b(let|var) \w+\s*:\s*\w+", 1), (r"\bguard let\b|\bif let\b", 3),
        (r"^\s*import (Foundation|UIKit|SwiftUI|Swift)\s*$", 5), (r"->\s*\w+\??\s*\{", 1),
        (r"\b(protocol|extension) \w+", 2),
    ],
    "lua": [
        (r"\blocal function\b", 4), (r"\blocal \w+\s*=", 2), (r"^\s*end\s*$", 1), (r"\bthen\s*$", 1.5),
        (r"\.\.\s*[\w\"']", 1), (r"\bfunction [\w.:]+\(", 1), (r"--\[\[", 2), (r"~=", 2), (r"\b(i?pairs)\(", 3),
    ],
    "sql": [
        (r"(?i)^\s*(SELECT|INSERT INTO|UPDATE|DELETE FROM|CREATE (OR REPLACE )?(TABLE|FUNCTION|INDEX|VIEW|TYPE)"
         r"|ALTER (TABLE|FUNCTION|EXTENSION|TYPE|INDEX|VIEW)|DROP|GRANT|REVOKE|COMMENT ON)\b", 3),
        (r"^\\(echo|quit|set|i)\b", 2), (r"^\s*-- ", 0.5),
        (r"(?i)\bFROM \w+", 1), (r"\bWHERE\b", 1), (r"(?i)\b(VARCHAR|INTEGER|PRIMARY KEY|NOT NULL|RETURNS)\b", 2),
        (r"\bLANGUAGE (C|SQL|plpgsql)\b", 2),
    ],
    "haskell": [
        (r"^\w+ :: ", 4), (r"^\s*import (qualified )?[A-Z][\w.]*", 2), (r"\bwhere\s*$", 1),
        (r"^\s*(data|newtype|instance|deriving|class) ", 2), (r"^module [A-Z]", 3),
    ],
    "r": [
        (r"<-\s*function\s*\(", 5), (r"\w+\s*<-\s*", 2), (r"\blibrary\(\w+\)", 3), (r"\bc\(", 1),
    ],
}
# Supersets parse their subsets: TypeScript parses JavaScript, C++ parses C. They inherit the
# subset's cues at a discount, so a tie goes to the subset and only their own cues lift them.
_INHERITS = {"typescript": "javascript", "cpp": "c"}
_INHERITED_WEIGHT = 0.8
_SHEBANG = {"python": "python", "node": "javascript", "bash": "bash", "sh": "bash", "zsh": "bash",
            "ruby": "ruby", "php": "php", "lua": "lua", "Rscript": "r", "deno": "typescript"}
_SHORTLIST = 4
_STRONG_CUES = 4.0
_PARSE_WEIGHT = 6.0
_MAX_CHARS = 20_000


@cache
def _compiled() -> dict[str, list[tuple[re.Pattern[str], float]]]:
    table = {lang: [(re.compile(p, re.MULTILINE), w) for p, w in cues] for lang, cues in _CUES.items()}
    for child, parent in _INHERITS.items():
        table[child] = table[child] + [(p, w * _INHERITED_WEIGHT) for p, w in table[parent]]
    return table


def _lexical(code: str, language: str) -> float:
    score = 0.0
    for pattern, weight in _compiled().get(language, []):
        hits = 0
        for _ in pattern.finditer(code):
            hits += 1
            if hits == 3:
                break
        score += weight * hits
    return score


def _from_hint(hint: str) -> str | None:
    try:
        return get_language(hint).name
    except UnknownLanguageError:
        pass
    suffix = PurePosixPath(hint).suffix or (hint if hint.startswith(".") else "")
    lang = language_for_extension(suffix) if suffix else None
    return lang.name if lang else None


def _from_shebang(code: str) -> str | None:
    if not code.startswith("#!"):
        return None
    words = re.split(r"[\s/]+", code.split("\n", 1)[0][2:])
    for word in words:
        for name, lang in _SHEBANG.items():
            if word == name or re.fullmatch(rf"{name}[\d.]*", word):
                return lang
    return None


def language_scores(code: str, *, candidates: list[str] | None = None) -> dict[str, float]:
    """Scores of the shortlisted candidates: lexical cues plus parse quality (higher is likelier)."""
    names = [get_language(c).name for c in candidates] if candidates else supported_languages()
    sample = code[:_MAX_CHARS]
    if len(code) > _MAX_CHARS and "\n" in sample:
        sample = sample[:sample.rindex("\n") + 1]
    lexical = {name: _lexical(sample, name) for name in names}
    ranked = sorted(names, key=lambda n: -lexical[n])
    # Weak cues shortlist nothing reliably: then every candidate grammar gets a parse.
    shortlist = ranked[:_SHORTLIST] if lexical[ranked[0]] >= _STRONG_CUES else ranked
    return {name: lexical[name] + _PARSE_WEIGHT * _parse_quality(sample, name) for name in shortlist}


# Snippets that are valid only inside a class (Java and C# constructors, members) are also tried
# wrapped in one; the better parse counts.
_CLASS_WRAPPERS = {"java": "class _Snippet {{\n{}\n}}", "csharp": "class _Snippet {{\n{}\n}}"}


def _parse_quality(code: str, language: str) -> float:
    # The PHP grammar reads anything outside `<?php` as inline HTML and so parses any text cleanly:
    # parse a tagless snippet as PHP code instead.
    if language == "php" and "<?php" not in code and "<?=" not in code:
        code = "<?php\n" + code
    quality = parse(code, language).quality
    if quality < 1.0 and language in _CLASS_WRAPPERS:
        quality = max(quality, parse(_CLASS_WRAPPERS[language].format(code), language).quality)
    return quality


def identify_language(code: str, *, hint: str | None = None, candidates: list[str] | None = None) -> str | None:
    """The canonical language of `code`, or None when it is blank or nothing fits.

    `hint` is a fence tag, language name, file name or extension; when it names a language (among
    `candidates`, if given) it wins. Otherwise: a shebang, then cues and parsing decide.
    """
    allowed = {get_language(c).name for c in candidates} if candidates else None
    if hint:
        named = _from_hint(hint)
        if named and (allowed is None or named in allowed):
            return named
    if not code.strip():
        return None
    shebang = _from_shebang(code)
    if shebang and (allowed is None or shebang in allowed):
        return shebang
    scores = language_scores(code, candidates=candidates)
    best = max(scores, key=lambda n: scores[n])
    # Nothing recognisable and no clean parse anywhere: say so rather than guess.
    return best if scores[best] >= _PARSE_WEIGHT * 0.5 else None
