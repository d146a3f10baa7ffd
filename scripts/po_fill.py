"""Fill a .po catalogue's empty msgstr from a Python dict (used once to
write locale/cy; kept for adding strings). Usage: po_fill.py PO DICTFILE"""
import re
import runpy
import sys


def unquote(block: str) -> str:
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block)).encode().decode("unicode_escape").encode("latin-1").decode("utf-8")


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main(po_path: str, dict_path: str) -> None:
    data = runpy.run_path(dict_path)
    single, plurals = data["CY"], data["PLURALS"]
    text = open(po_path, encoding="utf-8").read()
    out, missing = [], []
    for block in text.split("\n\n"):
        m = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if not m or block.lstrip().startswith('msgid ""\nmsgstr ""\n"Project') or 'msgid ""\nmsgstr ""\n"' in block and "Language:" in block:
            out.append(block)
            continue
        msgid = unquote(m.group(1))
        ctx = re.search(r'^msgctxt "(.*)"', block, re.M)
        block = block.replace("#, fuzzy\n", "")
        if "msgid_plural" in block:
            value = plurals.get(msgid)
            if value is None:
                missing.append(msgid)
            else:
                block = re.sub(r'msgstr\[(\d)\] ""', lambda mm: f"msgstr[{mm.group(1)}] {quote(value)}", block)
        else:
            value = single.get((ctx.group(1), msgid)) if ctx else None
            value = value or single.get(msgid)
            if value is None:
                missing.append(msgid)
            else:
                block = re.sub(r'^msgstr ""(\n".*")*\s*$', lambda _m: "msgstr " + quote(value), block, flags=re.M)
        out.append(block)
    open(po_path, "w", encoding="utf-8").write("\n\n".join(out))
    if missing:
        print("Untranslated:", *missing, sep="\n  ")


if __name__ == "__main__":
    main(*sys.argv[1:])
