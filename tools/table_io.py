"""Command-line plumbing shared by the results-table scripts: the `--out FILE` option and
writing the generated Markdown to it (and to stdout)."""

import sys


def pop_out(args):
    """Removes `--out FILE` from the argument list `args`; returns FILE or None."""
    if "--out" not in args:
        return None
    i = args.index("--out")
    if i + 1 >= len(args):
        sys.exit("--out needs a file name")
    out = args[i + 1]
    del args[i:i + 2]
    return out


def emit(text, out):
    """Writes `text` to the file `out` (if given) and to stdout."""
    if out:
        with open(out, "w") as fh:
            fh.write(text)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
