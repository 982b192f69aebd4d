#!/usr/bin/env python3
"""Fills translations/pecast_de.ts from translations/de.py after lupdate refreshed the sources.
Usage: translations/fill-ts.py   (fails, listing them, when a source text has no German text)"""
import os
import sys
import xml.etree.ElementTree as ET

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from de import T  # noqa: E402

path = os.path.join(here, "pecast_de.ts")
tree = ET.parse(path)
missing = []
for message in tree.getroot().iter("message"):
    source = message.find("source").text
    translation = message.find("translation")
    text = T.get(source)
    if text is None:
        missing.append(source)
        continue
    translation.attrib.pop("type", None)
    for child in list(translation):
        translation.remove(child)
    if message.get("numerus") == "yes":
        translation.text = None
        for form in (text if isinstance(text, list) else [text, text]):
            ET.SubElement(translation, "numerusform").text = form
    else:
        translation.text = text[0] if isinstance(text, list) else text
ET.indent(tree, space="    ")
with open(path, "wb") as out:
    out.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
    tree.write(out, encoding="utf-8", xml_declaration=False)
    out.write(b"\n")
if missing:
    print("no German text for:", *missing, sep="\n  ", file=sys.stderr)
    sys.exit(1)
