"""``index.html``: a static gallery of every output, readable from ``file://`` with no server or network.

One section per recipe, in the catalogue's order, with its title, description and parameters; each output
shows once, as it would be used (an animation in its HTML player where it has one, else as its GIF/WebP,
else its MP4; a still as its PNG, else its SVG), with its alt text, size and bytes and a link to every file
of it: its other formats, and an animation's filmstrip and poster, which are pictures of the same frames
(a PDF has only its link). A button switches light and dark (remembered in localStorage when the browser
allows). The page is a pure function of the manifest, so it is byte-identical across identical builds.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from html import escape
from pathlib import Path

from figgen.builder.manifest import records_of
from figgen.writers.record import OutputRecord

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>figgen gallery</title>
<style>
:root {{ --bg: #ffffff; --fg: #1d1d1f; --muted: #5f6368; --card: #f5f5f7; --line: #d9d9de;
  --accent: #b3261e; }}
:root[data-theme="dark"] {{ --bg: #16181d; --fg: #e8e8ea; --muted: #a0a4ab; --card: #22252c; --line: #3a3e47;
  --accent: #ff8a80; }}
* {{ box-sizing: border-box; }}
body {{ margin: 0; background: var(--bg); color: var(--fg);
  font: 16px/1.5 "DejaVu Sans", system-ui, -apple-system, "Segoe UI", sans-serif; }}
header {{ position: sticky; top: 0; z-index: 1; display: flex; gap: 1rem; align-items: center;
  justify-content: space-between; padding: .75rem 1.5rem; background: var(--bg);
  border-bottom: 1px solid var(--line); }}
header h1 {{ margin: 0; font-size: 1.25rem; }}
header p {{ margin: 0; color: var(--muted); font-size: .9rem; }}
button {{ font: inherit; color: var(--fg); background: var(--card); border: 1px solid var(--line);
  border-radius: .4rem; padding: .35rem .8rem; cursor: pointer; }}
nav {{ padding: .5rem 1.5rem; display: flex; flex-wrap: wrap; gap: .25rem 1rem; font-size: .9rem; }}
nav a, a {{ color: var(--accent); }}
main {{ padding: 0 1.5rem 3rem; max-width: 1760px; margin: 0 auto; }}
section {{ border-top: 1px solid var(--line); padding: 1.25rem 0; }}
section h2 {{ margin: 0 0 .25rem; font-size: 1.2rem; }}
section h2 code {{ font-size: .85rem; color: var(--muted); font-weight: normal; }}
.description {{ margin: .25rem 0 .5rem; max-width: 70ch; }}
.params {{ font-size: .85rem; color: var(--muted); margin: 0 0 1rem; }}
.params code {{ background: var(--card); padding: 0 .3rem; border-radius: .2rem; }}
.outputs {{ display: grid; gap: 1rem;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 840px), 1fr)); }}
figure {{ margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: .5rem;
  padding: .75rem; display: flex; flex-direction: column; gap: .5rem; }}
figure iframe {{ align-self: center; background: var(--bg); }}
figure img, figure video {{ max-width: 100%; height: auto; align-self: center; display: block;
  background: repeating-conic-gradient(#0000 0 25%, #8881 0 50%) 0 0 / 16px 16px; }}
figure[data-slide] img, figure[data-slide] video {{ background: var(--slide); }}
figcaption {{ font-size: .85rem; }}
figcaption .meta {{ color: var(--muted); display: block; }}
.empty {{ color: var(--muted); font-style: italic; }}
</style>
<script>
(function () {{
  var saved = null;
  try {{ saved = localStorage.getItem("figgen-theme"); }} catch (e) {{}}
  var dark = saved ? saved === "dark"
    : window.matchMedia && matchMedia("(prefers-color-scheme: dark)").matches;
  document.documentElement.setAttribute("data-theme", dark ? "dark" : "light");
}})();
function toggleTheme() {{
  var root = document.documentElement;
  var next = root.getAttribute("data-theme") === "dark" ? "light" : "dark";
  root.setAttribute("data-theme", next);
  try {{ localStorage.setItem("figgen-theme", next); }} catch (e) {{}}
}}
</script>
</head>
<body>
<header>
<div><h1>figgen gallery</h1><p>{summary}</p></div>
<button type="button" id="theme-toggle" onclick="toggleTheme()">Light / dark</button>
</header>
<nav>{nav}</nav>
<main>
{sections}
</main>
</body>
</html>
"""


def _media(record: OutputRecord, paths: Collection[str] = ()) -> str:
    """The output as a page shows it (:mod:`figgen.writers.markup`): the player, a video (with its poster
    still when the build wrote it: one of ``paths``) or an image."""
    from figgen.writers.markup import image_html, player_html, poster_name, shown_as, video_html

    path, alt, width, height = record.path, record.alt, record.width, record.height
    shown = shown_as(record.format)
    if shown == "frame":
        html = player_html(path, width=width, height=height, alt=alt, kind=record.kind)
        still = poster_name(path)
        if record.kind == "explorable" and still in paths:  # where scripts do not run: its first state
            html += f"<noscript>{image_html(still, alt=alt)}</noscript>"
        return html
    if shown == "video":
        poster = poster_name(path) if poster_name(path) in paths else None
        return video_html(path, width=width, height=height, alt=alt, poster=poster)
    return image_html(path, width=width, height=height, alt=alt)


def _slide(entry: dict) -> str:
    """The figure's attributes that show a transparent figure on the slide colour it was made for (never
    markup from the manifest: only a ``#rrggbb`` colour passes)."""
    colour = entry.get("background")
    if isinstance(colour, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        return f' data-slide style="--slide: {colour}"'
    return ""


def _output_html(records: list[OutputRecord], slide: str = "", derived: Sequence[OutputRecord] = ()) -> str:
    """One card per output: the output shown once, and a link to every file of it and of ``derived``.

    It shows as the HTML player where there is one, else as the first format a browser shows as an image, in
    the writers' registry order (GIF before WebP, PNG before SVG), else as a video; never twice.
    """
    from figgen.writers import formats
    from figgen.writers.markup import shown_as

    by_format = {r.format: r for r in records}
    present = [f for f in formats() if f in by_format]
    shown = [by_format[f] for way in ("frame", "img", "video") for f in present if shown_as(f) == way][:1]
    first = records[0]
    frames = f" · {first.frames} frames" if first.frames else ""
    size = f"{first.width}×{first.height} px"
    links = [_links(records)]
    for stem in dict.fromkeys(r.output for r in derived):
        files = [r for r in derived if r.output == stem]
        links.append(f"{escape(stem[len(first.output) + 1 :])} {_links(files)}")
    meta = "".join(f'<span class="meta">{line}</span>' for line in links)
    posters = {r.path for r in derived if r.kind == "poster"}
    return (
        f'<figure data-output="{escape(first.output)}"{slide}>{"".join(_media(r, posters) for r in shown)}'
        f"<figcaption>{escape(first.alt)}"
        f'<span class="meta">{escape(first.output)} · {size}{frames}</span>{meta}</figcaption></figure>'
    )


def _links(records: list[OutputRecord]) -> str:
    """A link to each file, named by its format (by its file name where several share a format)."""
    formats = [r.format for r in records]
    names = [r.path if formats.count(r.format) > 1 else r.format.upper() for r in records]
    return " · ".join(
        f'<a href="{escape(r.path)}">{escape(name)}</a> {_size(r.bytes)}'
        for r, name in zip(records, names, strict=True)
    )


def _cards(records: list[OutputRecord], slide: str) -> list[str]:
    """The cards of one recipe's records, in their order: an animation's derived stills go into its card."""
    groups: dict[str, list[OutputRecord]] = {}
    for record in records:
        groups.setdefault(record.output, []).append(record)
    from figgen.writers.frames import FRAMES
    from figgen.writers.outputs import FILMSTRIP, POSTER

    # the files a build derives from an animation's frames, by the suffix of their output's name: the gallery
    # links them from the animation's card rather than showing the same frames again
    derived = (FILMSTRIP, POSTER, FRAMES)
    shown_kinds = ("animation", "explorable")  # an explorable's still is linked from its card too
    animations = [name for name, group in groups.items() if group[0].kind in shown_kinds]
    owner = {
        name: base
        for base in animations
        for name in groups
        if name in (base + suffix for suffix in derived) and groups[name][0].kind not in shown_kinds
    }
    return [
        _output_html(group, slide, [r for other in groups if owner.get(other) == name for r in groups[other]])
        for name, group in groups.items()
        if name not in owner
    ]


def _size(count: int) -> str:
    return f"{count / 1024:,.0f} KB" if count >= 10240 else f"{count:,} bytes"


def _rich(text: str) -> str:
    """Escape a docstring for HTML, turning ``literal`` into <code>literal</code>."""
    return re.sub(r"``(.+?)``", r"<code>\1</code>", escape(text))


def render_gallery(manifest: dict) -> str:
    """Return the gallery page for a manifest (see :func:`figgen.build.write_manifest`)."""
    sections, nav = [], []
    total = 0
    for name, entry in manifest["recipes"].items():
        params = " ".join(f"<code>{escape(k)}={escape(str(v))}</code>" for k, v in entry["params"].items())
        records = records_of(entry)
        outputs = "\n".join(_cards(records, _slide(entry)))
        total += len(records)
        sections.append(
            f'<section id="{escape(name)}"><h2>{escape(entry["title"])} <code>{escape(name)}</code></h2>'
            f'<p class="description">{_rich(entry["description"])}</p>'
            f'<p class="params">{params or "no parameters"} · theme {escape(entry["theme"])}, '
            f"preset {escape(entry['preset'])} · data {escape(entry['data']['source'])} "
            f"({escape(entry['data']['fingerprint'])})</p>"
            f'<div class="outputs">{outputs or "<p class=empty>no outputs in the chosen formats</p>"}</div>'
            f"</section>"
        )
        nav.append(f'<a href="#{escape(name)}">{escape(name)}</a>')
    summary = f"{len(sections)} recipes, {total} files · figgen {escape(str(manifest.get('figgen', '')))}"
    return PAGE.format(summary=summary, nav=" ".join(nav), sections="\n".join(sections))


def write_gallery(out: Path, manifest: dict) -> Path:
    """Write ``index.html`` into ``out`` (atomically, and only if it changed); return its path."""
    from figgen.files.atomic import write_text_if_changed

    path = Path(out) / "index.html"
    write_text_if_changed(path, render_gallery(manifest))
    return path
