"""One briefing file to one frozen ``Briefing``: front matter, annotations, rendered body."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml
from markupsafe import Markup

from dossier.annotations import Annotations, parse_annotations
from dossier.config import SiteConfig
from dossier.content import static_dirs
from dossier.errors import Problem, Problems
from dossier.frontmatter import Split, decode, parse, split
from dossier.markdown import (
    AnyTarget,
    BodyRenderer,
    LinkContext,
    MarkdownOptions,
    Mention,
    PageLink,
    Reference,
    Target,
)
from dossier.review import check_review
from dossier.schema import NULL, Ctx, Fields
from dossier.tags import tag_slug

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$")
RESERVED_SLUGS = {"con", "prn", "aux", "nul", "com1", "lpt1", "index", "tags", "page"}
META_KEYS = (
    "title",
    "date",
    "updated",
    "summary",
    "tags",
    "slug",
    "draft",
    "events",
    "aid",
    "sources",
    "quotes",
    "updates",
    "lang",
    "translation_of",
)
# What a briefing's body makes; everything else a briefing holds comes from its front matter.
BODY_FIELDS = frozenset({"html", "toc_html", "references", "body_hash", "links", "media"})


@dataclass(frozen=True)  # no slots: they make pickling (the build cache) 4x slower
class Briefing:
    path: str
    slug: str
    title: str
    date: dt.date
    updated: dt.date | None
    summary: str
    tags: tuple[str, ...]
    draft: bool
    annotations: Annotations
    html: str
    toc_html: str
    references: tuple[Reference, ...]
    line: int
    tag_lines: tuple[int, ...] = ()  # where each tag is written, for the collision check
    mentions: tuple[Mention, ...] = ()  # body spans marking facts defined elsewhere
    meta_hash: str = ""  # what site-wide views read: the front matter, the facts marked
    body_hash: str = ""
    links: tuple[PageLink, ...] = ()  # links to pages of the site, checked once it is planned
    media: tuple[tuple[str, str], ...] = ()  # (output path, source file) copied with the page
    lang: str = ""  # its language ('' in briefings made by hand: the site's default)
    translation_of: str | None = None  # the slug of the briefing it translates
    folder: str = ""  # its language's folder of the site: '' for the default, 'uk/' …

    def __repr__(self) -> str:
        """A briefing stands for itself by path: this is what a fingerprint of anything that
        holds briefings sees (dossier.reads), and what a debugger shows."""
        return f"Briefing({self.path!r})"

    @property
    def url_path(self) -> str:
        return f"{self.folder}briefings/{self.slug}/"

    @property
    def output_path(self) -> str:
        return f"{self.folder}briefings/{self.slug}/index.html"

    @property
    def modified(self) -> dt.date:
        return self.updated or self.date


def slugify(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:100].strip("-")


def _tag_lines(f: Fields, ctx: Ctx, tags: tuple[str, ...]) -> tuple[int, ...]:
    """Each tag's line; a tag with nothing to make its URL from is refused here."""
    node = f.node_of("tags")
    listed = isinstance(node, yaml.SequenceNode)
    items = node.value if listed else [node] * len(tags)  # type: ignore[union-attr]
    written = [n for n in items if isinstance(n, yaml.ScalarNode) and n.value.strip()]
    lines = tuple(ctx.line(n) for n in written) if len(written) == len(tags) else ()
    for i, tag in enumerate(tags):
        if not tag_slug(tag):
            ctx.problems.add(
                ctx.path,
                lines[i] if lines else f.line_of("tags"),
                f"tags[{i}]" if listed else "tags",
                f"{tag!r} has no letter or digit to make its URL from",
                "add a word to the tag, e.g. 'ukraine'",
            )
    return lines


def _tags(f: Fields) -> tuple[str, ...]:
    """A list of tags; one text with commas in it is a list written as text, an error."""
    node = f.node_of("tags")
    if isinstance(node, yaml.ScalarNode) and node.tag != NULL and "," in node.value:
        names = [t.strip() for t in node.value.split(",") if t.strip()]
        f.fail(
            "tags",
            f"{node.value.strip()!r} is one text with commas in it, so it would be one tag",
            f"write a list: tags: [{', '.join(names)}]",
        )
        return ()
    return f.text_list("tags")


# What `dossier new` writes where the author has to: a briefing that is not a draft may
# not keep one (docs/format.md).
PLACEHOLDER = re.compile(r"\bTODO\b")
_CODE = re.compile(r"^(```|~~~).*?^\1[^\n]*$|`+[^`\n]*`+", re.MULTILINE | re.DOTALL)


def check_placeholders(root: yaml.Node, ctx: Ctx, parts: Split) -> None:
    """Every TODO left in the front matter's values and in the body (outside code)."""
    hint = "replace the TODO, or keep 'draft: true' until it is done"
    stack: list[tuple[str, yaml.Node]] = [("", root)]
    while stack:
        key, node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            stack += [(f"{key}.{k.value}" if key else str(k.value), v) for k, v in node.value]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(f"{key}[{i}]", v) for i, v in enumerate(node.value)]
        elif PLACEHOLDER.search(str(node.value)):
            shown = " ".join(str(node.value).split())
            ctx.error(node, key, f"placeholder text left in: {shown[:60]!r}", hint)
    body = _CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), parts.body)
    for n, line in enumerate(body.splitlines(), start=parts.body_first_line):
        if PLACEHOLDER.search(line):
            shown = line.strip()
            ctx.problems.add(ctx.path, n, "body", f"placeholder text left in: {shown[:60]!r}", hint)


def _with_written_ids(
    targets: dict[tuple[str, str], Target], root: yaml.Node
) -> dict[tuple[str, str], Target]:
    """``targets`` plus the ids written in each list whose entries failed their checks."""
    kinds = {"sources": "source", "events": "event", "aid": "aid", "quotes": "quote"}
    out = dict(targets)
    for knode, vnode in getattr(root, "value", ()):
        kind = kinds.get(getattr(knode, "value", ""))
        if kind is None or not isinstance(vnode, yaml.SequenceNode):
            continue
        for item in vnode.value:
            for k, v in getattr(item, "value", ()) if isinstance(item, yaml.MappingNode) else ():
                if k.value == "id" and isinstance(v, yaml.ScalarNode) and v.value:
                    prefix = "ref" if kind == "source" else kind
                    out.setdefault((kind, v.value), Target(kind, f"{prefix}-{v.value}"))
    return out


def renderer_for(config: SiteConfig) -> BodyRenderer:
    """The Markdown pipeline a site's settings ask for."""
    return BodyRenderer(
        MarkdownOptions(
            extensions=config.markdown_extensions,
            allow_raw_html=config.allow_raw_html,
            toc_depth=config.toc_depth,
        )
    )


def targets_of(ann: Annotations) -> dict[tuple[str, str], Target]:
    """What each annotation id of this briefing points at when the body marks a span."""
    out: dict[tuple[str, str], Target] = {}
    for kind, records, prefix in (
        ("source", ann.sources, "ref"),
        ("event", ann.events, "event"),
        ("aid", ann.aid, "aid"),
        ("quote", ann.quotes, "quote"),
    ):
        for rec in records:
            out[kind, rec.id] = Target(kind, f"{prefix}-{rec.id}")  # type: ignore[arg-type]
    return out


def _marked(mentions: tuple[Mention, ...]) -> str:
    return " ".join(sorted({f"{m.kind}:{m.id}" for m in mentions}))


def load_briefing(
    path: str,
    data: bytes,
    config: SiteConfig,
    renderer: BodyRenderer,
    project: Path | None = None,
) -> tuple[Briefing | None, tuple[Problem, ...]]:
    """Read one file completely, collecting every problem in it."""
    briefing, problems, _ = read_briefing(path, data, config, renderer, project)
    return briefing, problems


def site_files(project: Path, config: SiteConfig) -> Callable[[str], Path | None]:
    """A site path of the static files (static/…) or of the media folder to its file."""
    statics = static_dirs(project)
    media = project / config.media_dir

    def find(site_path: str) -> Path | None:
        if site_path.startswith("static/"):
            rel, roots = site_path[len("static/") :], list(reversed(statics))
        elif site_path.startswith(config.media_path):
            rel, roots = site_path[len(config.media_path) :], [media]
        else:
            return None
        parts = [p for p in rel.split("/") if p]
        if not parts or any(p in (".", "..") or p.startswith(".") for p in parts):
            return None
        for root in roots:
            candidate = root.joinpath(*parts)
            if candidate.is_file() and candidate.resolve().is_relative_to(root.resolve()):
                return candidate
        return None

    def candidate(site_path: str) -> Path | None:
        """Where the site's own copy of a missing file would be."""
        for prefix, root in (("static/", project / "static"), (config.media_path, media)):
            if site_path.startswith(prefix):
                parts = [p for p in site_path[len(prefix) :].split("/") if p]
                return root.joinpath(*parts) if parts else None
        return None

    find.candidate = candidate  # type: ignore[attr-defined]
    return find


def read_briefing(
    path: str,
    data: bytes,
    config: SiteConfig,
    renderer: BodyRenderer,
    project: Path | None = None,
) -> tuple[Briefing | None, tuple[Problem, ...], dict[str, tuple[int, int] | None]]:
    """``load_briefing``, with the files the body looked for (path → found): a later
    build reads the briefing again when one of them appears, changes or goes."""
    problems = Problems()
    depends: dict[str, tuple[int, int] | None] = {}
    text = decode(data, path, problems)
    parts = split(text, path, problems) if text is not None else None
    root = parse(parts, path, problems) if parts is not None else None
    if parts is not None and root is None:  # the YAML did not parse: the body still can
        rendered = renderer.render(
            parts.body, path=path, first_line=parts.body_first_line, targets=AnyTarget()
        )
        problems.extend(rendered.problems)
    if root is None or parts is None:
        return None, tuple(problems), depends
    ctx = Ctx(path, parts.yaml_first_line, problems)
    f = Fields(root, "", ctx, META_KEYS)
    title = f.text("title")
    from dossier.dates import parse_date

    date = f.converted("date", parse_date, True, "a date")
    updated = f.converted("updated", parse_date, False, "a date")
    summary = f.text("summary")
    tags = _tags(f)
    tag_lines = _tag_lines(f, ctx, tags)
    draft = f.boolean("draft", False)
    stem = PurePosixPath(path).stem
    lang = _language(f, config, stem)
    stem = stem.removesuffix(f".{lang}") if lang != config.language else stem  # a.uk.md: slug a
    slug = f.text("slug", required=False) if f.has("slug") else slugify(stem)
    if slug is not None and (not SLUG.match(slug) or slug in RESERVED_SLUGS):
        where = "slug" if f.has("slug") else ""
        hint = (
            "use lower-case letters, digits and '-', e.g. us-mines-ukraine"
            if where
            else "rename the file, or set 'slug:' in the front matter"
        )
        ctx.problems.add(
            path,
            f.line_of("slug") if where else 1,
            where or "slug",
            f"{slug!r} is not a usable slug",
            hint,
        )
    translation_of = f.text("translation_of", required=False)
    if date and updated and updated < date:
        f.fail(
            "updated",
            f"{updated} is before the publication date {date}",
            "'updated' must be on or after 'date'",
        )
    annotations = parse_annotations(f, ctx)
    check_review(root, ctx, parts, draft=bool(draft))
    if not draft:
        check_placeholders(root, ctx, parts)
    # The body is read even when the front matter has errors, so one report shows both;
    # ids that are written but failed their checks still resolve (one mistake, one error).
    links = None
    if project is not None:
        find = site_files(project, config)
        links = LinkContext(
            page_url=f"{config.language_folder(lang)}briefings/{slug}/",
            base_path=config.base_path,
            source_dir=(project / path).parent,
            find_site_file=find,
            file_areas=("static/", config.media_path),
            candidate=find.candidate,  # type: ignore[attr-defined]
        )
    targets = _with_written_ids(targets_of(annotations), root)
    if links is not None:
        links.anchors = frozenset(t.anchor for t in targets.values())
    rendered = renderer.render(
        parts.body,
        path=path,
        first_line=parts.body_first_line,
        targets=targets,
        authors={s.id: s.publisher or s.title for s in annotations.sources},
        links=links,
    )
    problems.extend(rendered.problems)
    if links is not None:
        depends = dict(links.depends)
    if problems.errors:
        return None, tuple(problems), depends
    briefing = Briefing(
        path=path,
        slug=slug,  # type: ignore[arg-type]
        title=title,  # type: ignore[arg-type]
        date=date,  # type: ignore[arg-type]
        updated=updated,
        summary=summary,  # type: ignore[arg-type]
        tags=tags,
        draft=draft,
        annotations=annotations,
        html=str(Markup(rendered.html)),
        toc_html=rendered.toc_html,
        references=rendered.references,
        line=1,
        tag_lines=tag_lines,
        mentions=rendered.mentions,
        # Everything of the briefing the site-wide views read: its front matter, and which
        # facts of other briefings its body marks (not where: a line moves with any edit).
        meta_hash=hashlib.blake2b(
            f"{path}\0{parts.yaml_text}\0{_marked(rendered.mentions)}".encode(), digest_size=12
        ).hexdigest(),
        # the files the body shows are part of it (an image's size is in the HTML)
        body_hash=hashlib.blake2b(
            (parts.body + repr(sorted(depends.items()))).encode(), digest_size=12
        ).hexdigest(),
        links=rendered.links,
        media=tuple(sorted((out, str(src)) for out, src in (links.media if links else {}).items())),
        lang=lang,
        translation_of=translation_of,
        folder=config.language_folder(lang),
    )
    return briefing, tuple(problems), depends


def _language(f: Fields, config: SiteConfig, stem: str) -> str:
    """`lang:` is one of the site's languages (site.yaml `languages:`); without it, the
    language its file's name ends with (`a.uk.md`, as in Hugo), or else the default."""
    lang = f.text("lang", required=False)
    if lang is None:
        suffix = stem.rpartition(".")[2] if "." in stem else ""
        return suffix if suffix in config.all_languages else config.language
    if lang not in config.all_languages:
        near = [x for x in config.all_languages if x.casefold() == lang.casefold()]
        f.fail(
            "lang",
            f"{lang!r} is not one of the site's languages ({', '.join(config.all_languages)})",
            f"write {near[0]!r}" if near else "add it to 'languages:' in site.yaml",
        )
        return config.language
    return lang
