"""The live protocol's docs page, rendered on the server from the AsyncAPI document: plain HTML and one
stylesheet, no script. What it shows is the document itself (channel, close codes, operations, messages
and their payload schemas), so it cannot drift from what the hub sends.

The document's descriptions are CommonMark; the page renders the part of it they use: paragraphs,
lists, pipe tables and `code`.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

_CODE_SPAN = re.compile(r"`([^`]+)`")
_LIST_ITEM = re.compile(r"^(?:\d+\.|-)\s+")


def render_live_page(document: dict[str, Any], *, stylesheet: str, nav: str) -> str:
    info = document["info"]
    schemas: dict[str, Any] = document["components"]["schemas"]
    messages: dict[str, Any] = document["components"]["messages"]
    (channel_key, channel), *_ = document["channels"].items()
    title = html.escape(info["title"])
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f'<link rel="stylesheet" href="{html.escape(stylesheet)}">',
        "</head><body>",
        nav,
        "<main>",
        f"<h1>{title}</h1>",
        f'<p class="subtitle">AsyncAPI {html.escape(document["asyncapi"])} · version {html.escape(info["version"])}'
        ' · <a href="asyncapi.json">the document as JSON</a></p>',
        _prose(info.get("description", "")),
        *_servers(document.get("servers", {})),
        f'<h2 id="channel">Channel: <code>{html.escape(channel["address"])}</code></h2>',
        *(
            f"<p><code>{html.escape(name)}</code>: {_inline(parameter.get('description', ''))}</p>"
            for name, parameter in channel.get("parameters", {}).items()
        ),
        _prose(channel.get("description", "")),
        '<h2 id="operations">Operations</h2>',
        *_operations(document["operations"], channel_key),
        '<h2 id="messages">Messages</h2>',
        *(_message(key, message, schemas) for key, message in messages.items()),
        '<h2 id="schemas">Schemas</h2>',
        "<p>What the messages above are made of.</p>",
        *(
            _schema_section(name, schema, schemas)
            for name, schema in sorted(schemas.items())
            if name not in _payload_names(messages)
        ),
        "</main></body></html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


def _servers(servers: dict[str, Any]) -> list[str]:
    if not servers:
        return []
    rows = [
        f"<tr><td>{html.escape(name)}</td><td><code>{html.escape(server['protocol'])}://"
        f"{html.escape(server['host'])}</code></td><td>{_inline(server.get('description', ''))}</td></tr>"
        for name, server in servers.items()
    ]
    return ['<h2 id="servers">Servers</h2>', _table(["server", "URL", ""], rows)]


def _operations(operations: dict[str, Any], channel_key: str) -> list[str]:
    out: list[str] = []
    for key, operation in operations.items():
        action = operation["action"]
        who = "the client sends, the server receives" if action == "receive" else "the server sends"
        out.append(
            f'<h3 id="operation-{html.escape(key)}"><span class="badge {html.escape(action)}">{html.escape(action)}'
            f"</span>{html.escape(operation.get('title', key))}</h3>"
        )
        out.append(f'<p class="summary">{_inline(operation.get("summary", ""))} ({who}.)</p>')
        out.append(_message_list(operation["messages"], channel_key))
        if reply := operation.get("reply"):
            out.append("<p>The server replies:</p>" + _message_list(reply["messages"], channel_key))
    return out


def _message_list(refs: list[dict[str, str]], channel_key: str) -> str:
    prefix = f"#/channels/{channel_key}/messages/"
    keys = [ref["$ref"].removeprefix(prefix) for ref in refs]
    items = "".join(
        f'<li><a href="#message-{html.escape(key)}"><code>{html.escape(key)}</code></a></li>' for key in keys
    )
    return f'<ul class="messages">{items}</ul>'


def _message(key: str, message: dict[str, Any], schemas: dict[str, Any]) -> str:
    payload = _resolve(message["payload"], schemas)
    return "\n".join(
        [
            f'<section class="message" id="message-{html.escape(key)}">',
            f"<h3><code>{html.escape(message.get('title', key))}</code></h3>",
            f'<p class="summary">{_inline(message.get("summary", ""))}</p>',
            _properties(payload, schemas),
            "</section>",
        ]
    )


def _payload_names(messages: dict[str, Any]) -> set[str]:
    """The schemas that are a message's whole payload: shown with their message, not again."""
    return {m["payload"]["$ref"].rsplit("/", 1)[1] for m in messages.values() if "$ref" in m["payload"]}


def _schema_section(name: str, schema: dict[str, Any], schemas: dict[str, Any]) -> str:
    body = _properties(schema, schemas) if "properties" in schema else f"<p>{_type_of(schema)}</p>"
    description = schema.get("description")
    return "\n".join(
        [
            f'<section class="schema" id="schema-{html.escape(name)}">',
            f"<h3><code>{html.escape(name)}</code></h3>",
            f'<p class="summary">{_inline(description)}</p>' if description else "",
            body,
            "</section>",
        ]
    )


def _properties(schema: dict[str, Any], schemas: dict[str, Any]) -> str:
    required = set(schema.get("required", []))
    rows = []
    for name, prop in schema.get("properties", {}).items():
        mark = '<span class="required">required</span>' if name in required else ""
        rows.append(
            f'<tr><td class="name"><code>{html.escape(name)}</code>{mark}</td><td>{_type_of(prop)}</td>'
            f"<td>{_inline(prop.get('description', ''))}{_limits(prop)}</td></tr>"
        )
    return _table(["field", "type", "meaning"], rows) if rows else ""


def _type_of(schema: dict[str, Any]) -> str:
    """A schema as a short phrase: a link for a reference, `or` for a union, the values of an enum."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        return f'<a href="#schema-{html.escape(name)}"><code>{html.escape(name)}</code></a>'
    if "anyOf" in schema:
        return " or ".join(_type_of(option) for option in schema["anyOf"])
    if "const" in schema:
        return f"<code>{html.escape(json.dumps(schema['const']))}</code>"
    if "enum" in schema:
        return "one of " + ", ".join(f"<code>{html.escape(json.dumps(value))}</code>" for value in schema["enum"])
    kind = schema.get("type", "any")
    if kind == "array":
        return "array of " + _type_of(schema.get("items", {}))
    if kind == "null":
        return "<code>null</code>"
    if "format" in schema:
        return f"{html.escape(kind)} ({html.escape(schema['format'])})"
    return html.escape(str(kind))


def _limits(schema: dict[str, Any]) -> str:
    words = {"minLength": "at least {} characters", "maxLength": "at most {} characters"}
    words |= {"minimum": "at least {}", "maximum": "at most {}", "default": "default {}"}
    found = [
        text.format(html.escape(json.dumps(schema[key]) if key == "default" else str(schema[key])))
        for key, text in words.items()
        if key in schema and not (key == "default" and "const" in schema)
    ]
    return f' <span class="summary">({"; ".join(found)})</span>' if found else ""


def _resolve(schema: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    return schemas[schema["$ref"].rsplit("/", 1)[1]] if "$ref" in schema else schema


def _table(headers: list[str], rows: list[str]) -> str:
    head = "".join(f"<th>{html.escape(header)}</th>" for header in headers)
    body = "".join(rows)
    return f'<div class="table-scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _prose(text: str) -> str:
    """Paragraphs, lists and pipe tables of CommonMark text, with `code` spans."""
    out = []
    for block in (b for b in re.split(r"\n\s*\n", text.strip()) if b.strip()):
        lines = block.splitlines()
        if all(line.lstrip().startswith("|") for line in lines):
            cells = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines]
            rows = ["<tr>" + "".join(f"<td>{_inline(cell)}</td>" for cell in row) + "</tr>" for row in cells[2:]]
            out.append(_table(cells[0], rows))
        elif _LIST_ITEM.match(lines[0]):
            items, tag = _list_items(lines), "ol" if lines[0][0].isdigit() else "ul"
            out.append(f"<{tag}>" + "".join(f"<li>{_inline(item)}</li>" for item in items) + f"</{tag}>")
        else:
            out.append(f"<p>{_inline(' '.join(line.strip() for line in lines))}</p>")
    return "\n".join(out)


def _list_items(lines: list[str]) -> list[str]:
    items: list[str] = []
    for line in lines:
        if _LIST_ITEM.match(line):
            items.append(_LIST_ITEM.sub("", line))
        elif items:
            items[-1] += " " + line.strip()
    return items


def _inline(text: str) -> str:
    return _CODE_SPAN.sub(r"<code>\1</code>", html.escape(text, quote=False))
