"""Shared machinery of the spec-mutant generators (model-check/<dir>/gen_mutants.py): each copies one top-level
definition of a spec with ONE textual change, renamed MUT_<name>, writes the mutants module, and prints the mutants
as JSON (name, definition, what) for model-check/mutants.json."""
import json
import os
import re


class Mutants:
    def __init__(self, spec_path):
        self.spec = open(spec_path).read()
        self.muts = []

    def defn(self, name):
        # text of a top-level definition starting at "name(" or "name ==" up to the next blank line
        m = re.search(r'^' + re.escape(name) + r'(\(|\s*==)', self.spec, re.M)
        assert m, name
        end = self.spec.find('\n\n', m.start())
        return self.spec[m.start():end]

    def mut(self, mname, op, old, new, doc):
        body = self.defn(op)
        assert body.count(old) == 1, (mname, old, body.count(old))
        nb = body.replace(old, new, 1)
        nb = re.sub(r'^' + re.escape(op), 'MUT_' + mname, nb, count=1)
        self.muts.append((mname, op, doc, nb))

    def write(self, path, header):
        """Writes the module (header lines, then each mutant with its comment, then the closing line) and prints the
        JSON list."""
        out = list(header)
        for (n, op, doc, b) in self.muts:
            out.append(f"\\* {n}: {op} <- MUT_{n}. {doc}.")
            out.append(b)
            out.append("")
        out.append("=" * 85)
        open(path, 'w').write("\n".join(out) + "\n")
        print(json.dumps([{"name": n, "definition": op, "what": doc} for (n, op, doc, b) in self.muts], indent=1))


def root_of(here):
    return os.path.dirname(os.path.dirname(here))
