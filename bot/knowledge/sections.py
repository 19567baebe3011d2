"""A tree of sections, shared by the guide, Markdown and HTML loaders, and its flattening to entries."""
from __future__ import annotations

from dataclasses import dataclass, field

from .model import BULLET, Entry, _unique, slug


@dataclass
class Section:
    title: str
    line: int
    kind: str = "section"
    parts: list = field(default_factory=list)  # ("para", s) ("items", [..]) ("field", k, v) ("label", s)
    children: list["Section"] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)

    def has_content(self) -> bool:
        return bool(self.parts)

    def render(self) -> str:
        out = []
        for part in self.parts:
            if part[0] == "items":
                out.extend(BULLET + item for item in part[1])
            elif part[0] == "field":
                out.append(f"{part[1]}: {part[2]}")
            else:
                out.append(part[1])
        return "\n".join(out)

    def gist(self, limit: int = 140) -> str:
        """A one-line summary, for a parent's overview of its children."""
        for part in self.parts:
            if part[0] == "field":
                return part[2]
        for part in self.parts:
            if part[0] == "items":
                return _clip(", ".join(part[1]), limit)
        for part in self.parts:
            if part[0] == "para":
                return _clip(part[1], limit)
        return ""


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + " …"


def sections_to_entries(roots: list[Section], kb: str, *, prefix: tuple[str, ...] = ()) -> list[Entry]:
    """Flatten a section tree to entries; a heading with children but no text summarises them."""
    entries: list[Entry] = []
    ids: set[str] = set()

    def visit(sec: Section, path: tuple[str, ...], id_path: tuple[str, ...]):
        path = path + (sec.title,)
        id_path = id_path + ("introduction" if sec.kind == "intro" else slug(sec.title),)
        kids = [c for c in sec.children if c.has_content() or c.children]
        if sec.has_content():
            text, kind = sec.render(), sec.kind
        elif kids:
            lines = []
            for c in kids:
                gist = "" if c.kind == "faq" else c.gist()
                lines.append(f"{BULLET}{c.title}: {gist}" if gist else f"{BULLET}{c.title}")
            text, kind = "\n".join(lines), "group"
        else:
            return  # page chrome: a heading with nothing under it
        entries.append(Entry(
            id=_unique(ids, "/".join(id_path)), kb=kb, title=sec.title, path=prefix + path,
            text=text, questions=tuple(sec.questions), kind=kind, line=sec.line))
        for c in kids:
            visit(c, path, id_path)

    for root in roots:
        visit(root, (), ())
    return entries
