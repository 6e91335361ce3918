"""Per-channel escaping of untrusted article text (pure).

Headlines and entity names come from publishers we do not control, so every value a
template prints goes through the channel's escaper (see `render.py`): a hostile
headline must never ping a whole Slack workspace, inject a link, or add a mail header.
"""

from __future__ import annotations

import re
import unicodedata

from markupsafe import Markup

WORD_JOINER = "\u2060"
# "@here", "@channel", "@everyone" ping everyone when Slack's link_names is on.
_MASS_MENTION = re.compile(r"@(?=(here|channel|everyone|all)\b)", re.IGNORECASE)
# CommonMark punctuation that can start inline markup (links, images, HTML, emphasis,
# code, tables) anywhere in a line; line-start markers never occur: values are inline.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#!|<>~&])")
# Apprise's CommonMark→Slack converter keeps backslashes for most escapes (they would
# show), but turns `\<` `\>` into entities and `\[` `\]` into plain brackets: escape
# exactly those; raw `&` is entity-escaped by apprise itself.
_SLACK_SPECIAL = re.compile(r"([\\<>\[\]])")
_SCHEME = re.compile(r"\b([a-z][a-z0-9+.-]{1,20}):(?=//)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")


def one_line(text: str, limit: int = 300) -> str:
    """Collapse newlines/control characters and trim: headlines are single lines, and a
    CR/LF in an e-mail subject would be header injection."""
    flat = _CONTROL.sub(" ", unicodedata.normalize("NFC", str(text)))
    flat = " ".join(flat.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def neutralise_mentions(text: str) -> str:
    """Break @here/@channel/@everyone with an invisible word joiner so they stay readable
    but never notify."""
    return _MASS_MENTION.sub("@" + WORD_JOINER, text)


def slack_text(value: object) -> str:
    """Escape text for the Slack template (CommonMark, converted to mrkdwn by apprise):
    `<!channel>`, `<@U1>`, `<http://evil|click>` and `[click](http://evil)` stay literal."""
    if isinstance(value, Markup):
        return str(value)
    text = neutralise_mentions(one_line(str(value), limit=3000))
    return _SLACK_SPECIAL.sub(r"\\\1", text)


def slack_mrkdwn(value: object) -> str:
    """Escape for raw Slack mrkdwn (no apprise conversion): the three control characters
    Slack documents, plus mention neutralising. Used by callers posting mrkdwn directly."""
    text = neutralise_mentions(one_line(str(value), limit=3000))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def defuse_urls(text: str) -> str:
    """Slack turns any `scheme://…` in text into a live link: a word joiner after the colon
    keeps article text readable but not clickable (our own links use <url|label>)."""
    return _SCHEME.sub(lambda m: m.group(1) + ":" + WORD_JOINER, text)


def slack_block_text(value: object) -> str:
    """Escape for the mrkdwn of Block Kit texts (sent to Slack as is, no apprise
    conversion): &, <, > as entities, mass mentions broken, article URLs not clickable.
    Values the template marks safe (our own links) pass unchanged."""
    if isinstance(value, Markup):
        return str(value)
    return defuse_urls(slack_mrkdwn(value))


def markdown_text(value: object) -> str:
    """Backslash-escape CommonMark punctuation so article text cannot add links, images,
    HTML or emphasis in generic (markdown) channels."""
    if isinstance(value, Markup):
        return str(value)
    text = neutralise_mentions(one_line(str(value), limit=3000))
    return _MD_SPECIAL.sub(r"\\\1", text)


def plain_text(value: object) -> str:
    """Plain-text channels: no markup to inject, but keep one line and no mass mentions."""
    if isinstance(value, Markup):
        return str(value)
    return neutralise_mentions(one_line(str(value), limit=3000))


def header_safe(value: str, limit: int = 200) -> str:
    """A mail subject: one line, no CR/LF/control characters, bounded length."""
    return one_line(value, limit=limit)


def safe_link(url: str) -> str:
    """Only http(s) links are rendered; anything else (javascript:, data:) becomes empty.
    Characters that end a markdown/mrkdwn link are percent-encoded."""
    url = one_line(url, limit=2000)
    if not re.match(r"^https?://", url, re.IGNORECASE):
        return ""
    for ch, enc in (
        ("(", "%28"),
        (")", "%29"),
        ("<", "%3C"),
        (">", "%3E"),
        ("|", "%7C"),
        (" ", "%20"),
        ("[", "%5B"),
        ("]", "%5D"),
        ('"', "%22"),
        ("'", "%27"),
    ):
        url = url.replace(ch, enc)
    return url
