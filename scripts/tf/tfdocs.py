#!/usr/bin/env python3
"""Generate the Terraform reference (requirements, modules, resources, inputs,
outputs) of a module from its HCL, between the markers

    <!-- BEGIN_TF_DOCS -->
    <!-- END_TF_DOCS -->

of a Markdown file. A small stand-in for terraform-docs, which cannot be
installed here (the Go module proxy refuses it). Standard library only.

Usage:
    tfdocs.py MODULE_DIR [TARGET.md]         rewrite the section (TARGET defaults
                                             to MODULE_DIR/README.md; a missing
                                             file is created with the markers)
    tfdocs.py --check MODULE_DIR [TARGET.md] exit 1 when the section is stale
    tfdocs.py --same-variables DIR_A DIR_B   exit 1 when a variable declared in
                                             both modules differs (pass-through
                                             variables must not drift)

Values are rendered from the source text, as written: types and defaults are
HCL expressions, not evaluated.
"""

from __future__ import annotations

import difflib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

BEGIN = "<!-- BEGIN_TF_DOCS -->"
END = "<!-- END_TF_DOCS -->"
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


class HclError(Exception):
    pass


@dataclass
class Block:
    kind: str
    labels: list[str]
    attrs: dict[str, str] = field(default_factory=dict)  # name -> raw expression
    blocks: list["Block"] = field(default_factory=list)
    raw: str = ""
    file: str = ""


class Scanner:
    """Just enough of HCL's native syntax to find blocks and attributes and
    keep each attribute's expression as source text."""

    def __init__(self, text: str, name: str):
        self.s = text
        self.name = name

    def error(self, i: int, msg: str) -> HclError:
        line = self.s.count("\n", 0, i) + 1
        return HclError(f"{self.name}:{line}: {msg}")

    def skip_comment(self, i: int) -> int:
        s = self.s
        if s.startswith("#", i) or s.startswith("//", i):
            j = s.find("\n", i)
            return len(s) if j < 0 else j
        if s.startswith("/*", i):
            j = s.find("*/", i + 2)
            if j < 0:
                raise self.error(i, "unterminated comment")
            return j + 2
        return i

    def skip_string(self, i: int) -> int:
        """i at the opening quote; returns the index after the closing one."""
        s = self.s
        i += 1
        while i < len(s):
            c = s[i]
            if c == "\\":
                i += 2
            elif c == '"':
                return i + 1
            elif s.startswith("${", i) or s.startswith("%{", i):
                i = self.skip_expr_until(i + 2, "}") + 1
            elif c == "\n":
                raise self.error(i, "newline in string")
            else:
                i += 1
        raise self.error(i, "unterminated string")

    def skip_heredoc(self, i: int) -> int | None:
        m = re.compile(r"<<-?([A-Za-z_][A-Za-z0-9_]*)[ \t]*\n").match(self.s, i)
        if not m:
            return None
        end = re.compile(r"^[ \t]*" + re.escape(m.group(1)) + r"[ \t]*$", re.M).search(self.s, m.end())
        if not end:
            raise self.error(i, "unterminated heredoc")
        return end.end()

    def skip_atom(self, i: int) -> int:
        """Skips a string, heredoc or comment at i; returns i when there is none."""
        c = self.s[i]
        if c == '"':
            return self.skip_string(i)
        if c == "<":
            j = self.skip_heredoc(i)
            if j is not None:
                return j
        if c in "#/":
            return self.skip_comment(i)
        return i

    def skip_expr_until(self, i: int, closer: str) -> int:
        """Scans a bracketed expression; returns the index of the closer."""
        s = self.s
        pairs = {"(": ")", "[": "]", "{": "}"}
        while i < len(s):
            j = self.skip_atom(i)
            if j != i:
                i = j
                continue
            c = s[i]
            if c == closer:
                return i
            if c in pairs:
                i = self.skip_expr_until(i + 1, pairs[c]) + 1
                continue
            if c in ")]}":
                raise self.error(i, f"unexpected {c!r}")
            i += 1
        raise self.error(i, f"missing {closer!r}")

    def expr_end(self, i: int) -> int:
        """End of an attribute's expression: the first newline outside brackets."""
        s = self.s
        pairs = {"(": ")", "[": "]", "{": "}"}
        while i < len(s):
            if s[i] == "\n" or s.startswith("#", i) or s.startswith("//", i):
                return i
            j = self.skip_atom(i)
            if j != i:
                i = j
                continue
            if s[i] in pairs:
                i = self.skip_expr_until(i + 1, pairs[s[i]]) + 1
                continue
            if s[i] == "}":
                return i
            i += 1
        return i

    def body(self, i: int, closer: str | None) -> tuple[list[Block], dict[str, str], int]:
        s = self.s
        blocks: list[Block] = []
        attrs: dict[str, str] = {}
        while True:
            while i < len(s):
                if s[i] in " \t\r\n;":
                    i += 1
                    continue
                j = self.skip_comment(i)
                if j == i:
                    break
                i = j
            if i >= len(s):
                if closer:
                    raise self.error(i, "missing '}'")
                return blocks, attrs, i
            if closer and s[i] == closer:
                return blocks, attrs, i + 1
            m = IDENT.match(s, i)
            if not m:
                raise self.error(i, f"unexpected {s[i]!r}")
            name, j = m.group(0), m.end()
            k = j
            while k < len(s) and s[k] in " \t":
                k += 1
            if s.startswith("=", k) and not s.startswith("==", k):
                start = k + 1
                end = self.expr_end(start)
                attrs[name] = s[start:end].strip()
                i = end
                continue
            labels: list[str] = []
            while True:
                while k < len(s) and s[k] in " \t":
                    k += 1
                if s.startswith('"', k):
                    e = self.skip_string(k)
                    labels.append(s[k + 1 : e - 1])
                    k = e
                elif s.startswith("{", k):
                    break
                else:
                    lm = IDENT.match(s, k)
                    if not lm:
                        raise self.error(k, f"expected a block label or '{{' after {name}")
                    labels.append(lm.group(0))
                    k = lm.end()
            sub_blocks, sub_attrs, after = self.body(k + 1, "}")
            blocks.append(Block(name, labels, sub_attrs, sub_blocks, s[i:after], self.name))
            i = after


def load_module(directory: Path) -> list[Block]:
    blocks: list[Block] = []
    files = sorted(directory.glob("*.tf"))
    if not files:
        raise HclError(f"{directory}: no .tf files")
    for path in files:
        found, _, _ = Scanner(path.read_text(encoding="utf-8"), str(path)).body(0, None)
        blocks.extend(found)
    return blocks


def string_value(expr: str) -> str:
    """The text of a quoted string or heredoc expression (escapes decoded)."""
    expr = expr.strip()
    m = re.match(r"<<(-?)([A-Za-z_][A-Za-z0-9_]*)[ \t]*\n(.*)\n[ \t]*\2[ \t]*$", expr, re.S)
    if m:
        lines = m.group(3).split("\n")
        if m.group(1):
            indent = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
            lines = [x[indent:] for x in lines]
        return "\n".join(lines)
    if len(expr) >= 2 and expr[0] == expr[-1] == '"':
        body = expr[1:-1]
        return re.sub(r'\\(["\\nrt])', lambda c: {"n": "\n", "r": "\r", "t": "\t"}.get(c.group(1), c.group(1)), body)
    return expr


def cell(text: str) -> str:
    """Markdown table cell text: one line, pipes escaped, no raw HTML."""
    text = " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|")


def code(expr: str) -> str:
    lines = [x.rstrip() for x in expr.strip().split("\n")]
    if len(lines) == 1:
        text = lines[0].replace("|", "\\|")
        ticks = "``" if "`" in text else "`"
        return f"{ticks}{text}{ticks}"
    indent = min((len(x) - len(x.lstrip()) for x in lines[1:] if x.strip()), default=0)
    lines = [lines[0]] + [x[indent:] for x in lines[1:]]
    esc = [x.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "&#124;").replace(" ", "&nbsp;") for x in lines]
    return "<pre>" + "<br/>".join(esc) + "</pre>"


def is_true(expr: str | None) -> bool:
    return (expr or "").strip() == "true"


CELL_SPLIT = re.compile(r"(?<!\\)\|")


def align_table(lines: list[str]) -> list[str]:
    """Pad a Markdown table's columns the way Biome's formatter lays them out
    (`make lint` formats the READMEs), so the generated section is stable
    under it: cells padded to the widest, a centred column (`:--:`) centred."""
    rows = [[c.strip() for c in CELL_SPLIT.split(line.strip())[1:-1]] for line in lines]
    header, rule, body = rows[0], rows[1], rows[2:]
    centred = [r.startswith(":") and r.endswith(":") for r in rule]
    widths = [max(3, *(len(r[i]) for r in [header, *body])) for i in range(len(header))]

    def pad(text: str, i: int) -> str:
        room = widths[i] - len(text)
        return " " * (room // 2) + text + " " * (room - room // 2) if centred[i] else text + " " * room

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cells) + " |"

    separator = [":" + "-" * (w - 2) + ":" if c else "-" * w for w, c in zip(widths, centred)]
    return [line([pad(c, i) for i, c in enumerate(header)]), line(separator)] + [
        line([pad(c, i) for i, c in enumerate(r)]) for r in body
    ]


def align_tables(text: str) -> str:
    out: list[str] = []
    table: list[str] = []
    for line in text.split("\n") + [""]:
        if line.startswith("|"):
            table.append(line)
            continue
        if table:
            out += align_table(table)
            table = []
        out.append(line)
    return "\n".join(out[:-1])


def render(blocks: list[Block]) -> str:
    out: list[str] = []
    terraform = [b for b in blocks if b.kind == "terraform"]
    reqs: list[tuple[str, str]] = []
    for t in terraform:
        if "required_version" in t.attrs:
            reqs.append(("terraform", string_value(t.attrs["required_version"])))
        for rp in (b for b in t.blocks if b.kind == "required_providers"):
            for name, expr in sorted(rp.attrs.items()):
                version = re.search(r'version\s*=\s*"([^"]*)"', expr)
                source = re.search(r'source\s*=\s*"([^"]*)"', expr)
                label = f"{name} ({source.group(1)})" if source else name
                reqs.append((label, version.group(1) if version else "any"))
    if reqs:
        out += ["## Requirements", "", "| Name | Version |", "|------|---------|"]
        out += [f"| {cell(n)} | {code(v)} |" for n, v in reqs]
        out.append("")

    modules = sorted((b for b in blocks if b.kind == "module"), key=lambda b: b.labels[0])
    if modules:
        out += ["## Modules", "", "| Name | Source |", "|------|--------|"]
        out += [f"| {m.labels[0]} | `{string_value(m.attrs.get('source', '?'))}` |" for m in modules]
        out.append("")

    resources = sorted(
        (b for b in blocks if b.kind in ("resource", "data") and len(b.labels) == 2),
        key=lambda b: (b.labels[0], b.kind, b.labels[1]),
    )
    if resources:
        out += ["## Resources", "", "| Name | Type |", "|------|------|"]
        for r in resources:
            rtype, rname = r.labels
            provider, _, short = rtype.partition("_")
            kind = "resources" if r.kind == "resource" else "data-sources"
            prefix = "data." if r.kind == "data" else ""
            link = f"https://registry.terraform.io/providers/hashicorp/{provider}/latest/docs/{kind}/{short}"
            out.append(f"| [{prefix}{rtype}.{rname}]({link}) | {'resource' if r.kind == 'resource' else 'data source'} |")
        out.append("")

    variables = [b for b in blocks if b.kind == "variable"]
    variables.sort(key=lambda v: ("default" in v.attrs, v.labels[0]))
    out += ["## Inputs", ""]
    if variables:
        out += ["| Name | Description | Type | Default | Required |", "|------|-------------|------|---------|:--------:|"]
        for v in variables:
            desc = cell(string_value(v.attrs.get("description", '""')))
            flags = [f for f in ("sensitive", "ephemeral") if is_true(v.attrs.get(f))]
            if flags:
                desc += f" ({', '.join(flags)})"
            vtype = code(v.attrs["type"]) if "type" in v.attrs else "`any`"
            default = code(v.attrs["default"]) if "default" in v.attrs else "n/a"
            required = "no" if "default" in v.attrs else "yes"
            out.append(f"| {v.labels[0]} | {desc} | {vtype} | {default} | {required} |")
    else:
        out.append("No inputs.")
    out.append("")

    outputs = sorted((b for b in blocks if b.kind == "output"), key=lambda o: o.labels[0])
    out += ["## Outputs", ""]
    if outputs:
        out += ["| Name | Description |", "|------|-------------|"]
        for o in outputs:
            desc = cell(string_value(o.attrs.get("description", '""')))
            if is_true(o.attrs.get("sensitive")):
                desc += " (sensitive)"
            out.append(f"| {o.labels[0]} | {desc} |")
    else:
        out.append("No outputs.")
    return align_tables("\n".join(out).rstrip() + "\n")


def splice(current: str, section: str, target: Path) -> str:
    if BEGIN not in current or END not in current:
        raise HclError(f"{target}: add the markers {BEGIN} and {END} where the reference goes")
    head, rest = current.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{section}{END}{tail}"


def same_variables(dir_a: Path, dir_b: Path) -> int:
    def by_name(d: Path) -> dict[str, str]:
        return {b.labels[0]: b.raw for b in load_module(d) if b.kind == "variable"}

    a, b = by_name(dir_a), by_name(dir_b)
    drift = [n for n in sorted(a.keys() & b.keys()) if a[n] != b[n]]
    for n in drift:
        print(f"variable {n!r} differs between {dir_a} and {dir_b}:", file=sys.stderr)
        sys.stderr.writelines(difflib.unified_diff(a[n].splitlines(True), b[n].splitlines(True), str(dir_a), str(dir_b)))
        print(file=sys.stderr)
    if drift:
        return 1
    print(f"{len(a.keys() & b.keys())} shared variables identical in {dir_a} and {dir_b}")
    return 0


def main(argv: list[str]) -> int:
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    try:
        if args and args[0] == "--same-variables" and len(args) == 3:
            return same_variables(Path(args[1]), Path(args[2]))
        if len(args) not in (1, 2) or args[0].startswith("-"):
            print(__doc__, file=sys.stderr)
            return 2
        module = Path(args[0])
        target = Path(args[1]) if len(args) == 2 else module / "README.md"
        section = render(load_module(module))
        current = target.read_text(encoding="utf-8") if target.exists() else f"{BEGIN}\n{END}\n"
        wanted = splice(current, section, target)
    except HclError as e:
        print(f"tfdocs: {e}", file=sys.stderr)
        return 2
    if check:
        if current != wanted:
            print(f"{target} is stale: run make tf-docs", file=sys.stderr)
            sys.stderr.writelines(difflib.unified_diff(current.splitlines(True), wanted.splitlines(True), str(target), "generated"))
            return 1
        return 0
    if current != wanted:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(wanted, encoding="utf-8")
        print(f"updated {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
