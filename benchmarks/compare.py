"""localize against mdpo, po4a and Translate Toolkit on one newsroom archive. Run by hand, never in the tests.

Generates a deterministic corpus (ARTICLES Markdown articles with YAML front
matter, catalogs in LANGUAGES languages that translators have already filled
9 entries in 10), copies it once per tool, and times whole processes, as a
user waits for them (interpreter start-up and imports included):

localize, through its command (``localize -C TREE ...``):
  cold extract     ``extract`` with no cache: every article read, template and catalogs rewritten
  no-op extract    ``extract`` again: nothing changed, nothing should be read
  no-op extract --check  ``extract --check``: is any catalog out of date?
  whole-tree check ``check --no-cache``: every catalog judged, from nothing
  no-op check      ``check`` of the unchanged tree: answered from the cache
  status           ``status --no-cache``
  no-op status     ``status`` of the unchanged tree
  full merge       ``merge``: Markdown, HTML and text for the source and every language (after the
                   steps above: the sources and catalogs parsed as extract and check left them)
  markdown merge   ``merge --format md``, into a new output folder: the Markdown alone, as mdpo
  cold merge       ``merge --no-cache`` into a new output folder: every source and catalog parsed
  update 20%       ``extract`` after a typo and an added sentence in one article in five

the same work where each tool has it (tools that are not installed are left out):
  mdpo             its Python API in one process: md2po into the template and each catalog
                   (it merges into an existing PO file), po2md for each language
  po4a             its per-document commands, one process per article (``-f text -o markdown``):
                   po4a-updatepo for the template and for each catalog to
                   extract and update, po4a-translate --keep 0 to merge (a po4a.cfg for the
                   whole archive grows with N squared: see po4a_script)
  Translate Toolkit  ``md2po -P`` over the folder to templates, ``pot2po -t`` per language to
                   update the catalogs, ``po2md -t`` per language to merge
  msgfmt           ``msgfmt -c`` on every catalog: the reference for check

Before each command the file system's dirty pages are written out (``sync``), so that
no step pays for the writes of the one before. A step that can be run again alike (the
no-op ones, check, status and every merge, each run into a new folder) runs ``--repeat``
times and keeps the median. Each step prints seconds (wall), CPU seconds (user + system, children included),
articles per second, peak memory (the largest resident set of the step's
processes, from GNU time's %M) and the load average. With two sizes
(``--sizes 1000 10000``) it prints the cost per article at each, so that
growth faster than linear shows.

Install the other tools (benchmark-only: they are not dependencies of localize):

    .venv/bin/pip install mdpo translate-toolkit mistletoe   # mistletoe: TT's Markdown parser
    apt-get install -y po4a gettext time

Run:

    .venv/bin/python benchmarks/compare.py [--sizes 1000 10000] [--languages 1]
        [--tools localize,mdpo,po4a,tt,msgfmt] [--others-up-to 1000] [--skip "full merge"]
        [--json FILE] [--keep DIR]
    .venv/bin/python benchmarks/compare.py --report FILE...   # the tables of earlier runs' --json

Results and profiles: benchmarks/RESULTS.md.

The corpus alone: ``--generate-only DIR``. Profile one localize step with cProfile on a
corpus kept with ``--keep``: ``.venv/bin/python -m cProfile -o out.prof -m localize -C TREE merge``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

ALL_LANGUAGES = ("ru", "uk", "de", "fr", "es", "it", "pl", "pt", "tr", "ar", "zh", "ja")
BOILERPLATE = ("Follow us on Telegram.", "Subscribe to our newsletter to get the main news of the day.")
WORDS = (
    "the missiles hit Kyiv region city officials said on Monday morning air defence shot down drones "
    "residents were asked to stay in shelters power was restored in the east and the south of the country "
    "according to the mayor the attack damaged houses schools and a hospital rescuers worked through the night "
    "the ministry reported that talks will continue next week while the parliament voted for the new budget"
).split()
EDITED_SHARE = 0.2
BIN = Path(sys.executable).parent
GNU_TIME = "/usr/bin/time"
JSON_LINES: Path | None = None  # --json: each measure appended as it is taken


# --- the corpus -------------------------------------------------------------------------------

def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(1, 4)))


def slug_of(number: int) -> str:
    return f"{2015 + number // 1000}/story-{number:05d}"


def generate(root: Path, articles: int, languages: tuple[str, ...]) -> None:
    """Sources and translated catalogs, written as plain text: fast, and not in any writer's layout.

    The same seed gives the same bytes, so two runs (or two machines) measure the same work.
    """
    rng = random.Random(20240101)
    (root / "source_articles").mkdir(parents=True)
    listed = ", ".join(f'"{code}"' for code in languages)
    (root / "pyproject.toml").write_text(f'[project]\nname = "newsroom"\n\n[tool.localize]\nlanguages = [{listed}]\n')
    for number in range(articles):
        slug = slug_of(number)
        title = sentence(rng)[:-1]
        paragraphs = [paragraph(rng) for _ in range(rng.randint(5, 12))] + [rng.choice(BOILERPLATE)]
        source = root / "source_articles" / f"{slug}.md"
        source.parent.mkdir(parents=True, exist_ok=True)
        day = f"{2015 + number // 1000}-{1 + number % 12:02d}-{1 + number % 28:02d}"
        source.write_text(f"---\ntitle: {title}\ndate: {day} 11:43:00 +0300\n---\n\n" + "\n\n".join(paragraphs) + "\n",
                          encoding="utf-8")
        texts = [(title, 2)] + [(text, 7 + 2 * index) for index, text in enumerate(paragraphs)]
        for code in languages:
            entries = []
            for text, line in texts:
                translated = rng.random() < 0.9 or text in BOILERPLATE
                msgstr = f"[{code}] {text}" if translated else ""
                entries.append(f'#: source_articles/{slug}.md:{line}\nmsgid "{text}"\nmsgstr "{msgstr}"\n')
            catalog = root / "locales" / code / "LC_MESSAGES" / "articles" / f"{slug}.po"
            catalog.parent.mkdir(parents=True, exist_ok=True)
            catalog.write_text(
                'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                f'"Language: {code}\\n"\n\n' + "\n".join(entries), encoding="utf-8",
            )


def slugs_in(root: Path) -> list[str]:
    return sorted(path.relative_to(root / "source_articles").with_suffix("").as_posix()
                  for path in (root / "source_articles").rglob("*.md"))


def edit_sources(root: Path) -> int:
    """A typo fixed and a sentence added in one article in five, the same ones in every tool's tree."""
    slugs = slugs_in(root)
    chosen = random.Random(7).sample(slugs, max(1, int(len(slugs) * EDITED_SHARE)))
    for slug in chosen:
        source = root / "source_articles" / f"{slug}.md"
        blocks = source.read_text(encoding="utf-8").split("\n\n")
        blocks[1] = blocks[1].replace(" the ", " teh ", 1)
        blocks[2] = blocks[2] + " The mayor confirmed it."
        source.write_text("\n\n".join(blocks), encoding="utf-8")
    return len(chosen)


# --- measuring --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Measure:
    tool: str
    step: str
    articles: int
    seconds: float
    cpu: float
    peak_kib: int
    load: float

    @property
    def per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else float("inf")


def run_timed(command: list[str], *, cwd: Path | None = None, ok: tuple[int, ...] = (0,)) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + sys, descendants included) and peak RSS in KiB of one command."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        started = time.perf_counter()
        result = subprocess.run([GNU_TIME, "-f", "%U %S %M", "-o", report.name, *command], cwd=cwd,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        elapsed = time.perf_counter() - started
        if result.returncode not in ok:
            raise SystemExit(f"{' '.join(command[:6])}... exited {result.returncode}:\n{result.stderr[-3000:]}")
        user, system, peak = report.read().split()[-3:]
    return elapsed, float(user) + float(system), int(peak)


def measure(results: list[Measure], tool: str, step: str, articles: int,
            commands: list[list[str]] | Callable[[int], list[list[str]]], *,
            repeat: int = 1, ok: tuple[int, ...] = (0,), cwd: Path | None = None) -> Measure:
    """Runs the commands of one step in turn (repeat times, keeping the median) and records the total.
    ``commands`` may be a function of the run's number (0, 1, ...): a merge writes into a new folder each time."""
    runs = []
    for number in range(repeat):
        load = os.getloadavg()[0]
        total, cpu, peak = 0.0, 0.0, 0
        for command in (commands(number) if callable(commands) else commands):
            os.sync()  # the writes of the step before are not this one's
            seconds, used, rss = run_timed(command, cwd=cwd, ok=ok)
            total, cpu, peak = total + seconds, cpu + used, max(peak, rss)
        runs.append(Measure(tool, step, articles, total, cpu, peak, load))
    chosen = sorted(runs, key=lambda run: run.seconds)[len(runs) // 2]
    results.append(chosen)
    if JSON_LINES is not None:
        with JSON_LINES.open("a", encoding="utf-8") as stream:
            stream.write(json.dumps(asdict(chosen)) + "\n")
    print(f"  {tool:<9} {step:<17} {chosen.seconds:8.2f} s  CPU {chosen.cpu:8.2f} s  {chosen.per_second:8.1f} art/s  "
          f"peak {chosen.peak_kib / 1024:7.1f} MiB  load {chosen.load:4.2f}", flush=True)
    return chosen


def run_as_installed() -> None:
    """Every tool runs from compiled bytecode, as on a user's machine.

    pip compiles what it installs, and Python caches what it imports, unless
    ``PYTHONDONTWRITEBYTECODE`` is set (some sandboxes and containers set it):
    then every process compiles localize's modules again, about 0.6 s, and
    start-up would outweigh the work of the no-op steps. An editable install
    is compiled here once, as its first run would be.
    """
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    import compileall

    import localize
    compileall.compile_dir(Path(localize.__file__).parent, quiet=1)


# --- the tools --------------------------------------------------------------------------------

def localize_steps(results: list[Measure], tree: Path, articles: int, repeat: int, steps: set[str]) -> None:
    command = [str(BIN / "localize"), "-C", str(tree)]
    # check exits 1 when it finds an error; the corpus has untranslated entries, which are warnings at most.
    plan = [
        ("cold extract", ["extract"], 1, (0,)),
        ("no-op extract", ["extract"], repeat, (0,)),
        ("no-op extract --check", ["extract", "--check"], repeat, (0,)),
        # check and status keep their results in the tree's cache: from nothing with --no-cache (which
        # also leaves the cache as it is), then a check and a status of the unchanged tree (the first of
        # the runs fills the cache: the median is a run answered from it).
        ("whole-tree check", ["check", "--no-cache"], repeat, (0, 1)),
        ("no-op check", ["check"], max(repeat, 3), (0, 1)),
        ("status", ["status", "--no-cache"], repeat, (0,)),
        ("no-op status", ["status"], max(repeat, 3), (0,)),
        # Each run into a folder no step wrote to, as mdpo's: not one that finds its pages written already (nor
        # one just emptied, whose deletions the file system may still be busy with). A merge is one long run,
        # whose time varies by a tenth from one to the next on a shared machine: the median of ``repeat``.
        ("full merge", ["merge", "--out", str(tree / "build")], repeat, (0,)),
        ("markdown merge", ["merge", "--format", "md", "--out", str(tree / "build-md")], repeat, (0,)),
        ("cold merge", ["merge", "--no-cache", "--out", str(tree / "build-cold")], repeat, (0,)),
    ]
    for step, arguments, runs, ok in plan:
        if step in steps or step == "cold extract":
            measure(results, "localize", step, articles,
                    lambda number, arguments=arguments: [[*command, *numbered(arguments, number)]], repeat=runs, ok=ok)
    if "update 20%" in steps:
        edit_sources(tree)
        measure(results, "localize", "update 20%", articles, [[*command, "extract"]])


def run_folder(folder: str, number: int) -> str:
    """The output folder of a step's run ``number`` (0, 1, ...): ``folder``, then ``folder-2`` and on."""
    return f"{folder}-{number + 1}" if number else folder


def numbered(arguments: list[str], number: int) -> list[str]:
    """``arguments`` with the folder after ``--out`` that of run ``number`` (``run_folder``)."""
    if "--out" not in arguments:
        return arguments
    at = arguments.index("--out") + 1
    return [*arguments[:at], run_folder(arguments[at], number), *arguments[at + 1:]]


MDPO_DRIVER = r"""
import sys
from pathlib import Path
from mdpo.md2po import markdown_to_pofile
from mdpo.po2md import pofile_to_markdown

mode, root, languages = sys.argv[1], Path(sys.argv[2]), sys.argv[3].split(",")
build = root / (sys.argv[4] if len(sys.argv) > 4 else "build")
sources = sorted((root / "source_articles").rglob("*.md"))
for source in sources:
    slug = source.relative_to(root / "source_articles").with_suffix("")
    if mode == "extract":
        template = root / "locales" / "templates" / "articles" / f"{slug}.pot"
        template.parent.mkdir(parents=True, exist_ok=True)
        markdown_to_pofile(str(source), po_filepath=str(template), save=True)
    for code in languages:
        catalog = root / "locales" / code / "LC_MESSAGES" / "articles" / f"{slug}.po"
        if mode == "extract":
            # An existing catalog keeps its translations; texts no longer found become obsolete.
            markdown_to_pofile(str(source), po_filepath=str(catalog), save=True)
        else:
            output = build / code / f"{slug}.md"
            output.parent.mkdir(parents=True, exist_ok=True)
            pofile_to_markdown(str(source), [str(catalog)], save=str(output))
"""


def mdpo_steps(results: list[Measure], tree: Path, articles: int, languages: tuple[str, ...], repeat: int) -> None:
    driver = [sys.executable, "-c", MDPO_DRIVER]
    listed = ",".join(languages)
    measure(results, "mdpo", "cold extract", articles, [[*driver, "extract", str(tree), listed]])
    merged = measure(results, "mdpo", "full merge", articles,
                     lambda number: [[*driver, "merge", str(tree), listed, run_folder("build", number)]],
                     repeat=repeat)
    results.append(replace(merged, step="markdown merge"))  # it writes the Markdown alone: the same run
    results.append(replace(merged, step="cold merge"))  # and parses every file, every time
    edit_sources(tree)
    measure(results, "mdpo", "update 20%", articles, [[*driver, "extract", str(tree), listed]])


def po4a_script(tree: Path, languages: tuple[str, ...], mode: str) -> list[str]:
    """A shell loop running po4a's own per-document commands on every article.

    One po4a.cfg listing the archive with a template per article (``pot=``) runs msgmerge
    with the whole language as compendium for every article: its time grows with N squared
    (at N = 1,000 it had done 620 articles after 6 minutes), so the per-article commands
    are what a newsroom would script.
    """
    options = "-f text -o markdown -M UTF-8"
    lines = ["set -e"]
    for slug in slugs_in(tree):
        source = f"source_articles/{slug}.md"
        if mode == "extract":
            lines.append(f"mkdir -p locales/templates/articles/{os.path.dirname(slug)}")
            lines.append(f"po4a-updatepo {options} -m {source} -p locales/templates/articles/{slug}.pot >/dev/null")
        for code in languages:
            catalog = f"locales/{code}/LC_MESSAGES/articles/{slug}.po"
            if mode == "extract":
                lines.append(f"po4a-updatepo {options} -m {source} -p {catalog} >/dev/null")
            else:
                lines.append(f"mkdir -p build/{code}/{os.path.dirname(slug)}")
                lines.append(f"po4a-translate {options} -L UTF-8 -k 0 -m {source} -p {catalog} -l build/{code}/{slug}.md")
    script = tree / f"po4a-{mode}.sh"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ["sh", str(script)]


def po4a_steps(results: list[Measure], tree: Path, articles: int, languages: tuple[str, ...]) -> None:
    measure(results, "po4a", "cold extract", articles, [po4a_script(tree, languages, "extract")], cwd=tree)
    measure(results, "po4a", "full merge", articles, [po4a_script(tree, languages, "merge")], cwd=tree)
    edit_sources(tree)
    measure(results, "po4a", "update 20%", articles, [po4a_script(tree, languages, "extract")], cwd=tree)


def tt_steps(results: list[Measure], tree: Path, articles: int, languages: tuple[str, ...]) -> None:
    def converter(name: str) -> list[str]:
        # python -m: mdpo installs md2po and po2md commands of its own under the same names.
        return [sys.executable, "-m", f"translate.convert.{name}", "--progress=none"]

    templates = tree / "tt-templates"

    def extract() -> list[list[str]]:
        commands = [[*converter("md2po"), "-P", "-i", str(tree / "source_articles"), "-o", str(templates)]]
        for code in languages:
            catalogs = tree / "locales" / code / "LC_MESSAGES" / "articles"
            updated = tree / "tt-locales" / code
            updated.parent.mkdir(parents=True, exist_ok=True)
            commands.append([*converter("pot2po"), "-t", str(catalogs), "-i", str(templates), "-o", str(updated)])
        return commands

    measure(results, "tt", "cold extract", articles, extract())
    (tree / "build").mkdir(exist_ok=True)
    merge = [[*converter("po2md"), "-t", str(tree / "source_articles"), "-i", str(tree / "tt-locales" / code),
              "-o", str(tree / "build" / code)] for code in languages]
    measure(results, "tt", "full merge", articles, merge)
    edit_sources(tree)
    shutil.rmtree(templates)
    measure(results, "tt", "update 20%", articles, extract())


def msgfmt_steps(results: list[Measure], tree: Path, articles: int) -> None:
    # One msgfmt per catalog (given several files, msgfmt joins them into one catalog).
    script = f"find {tree / 'locales'} -name '*.po' -print0 | xargs -0 -n1 msgfmt -c -o /dev/null"
    measure(results, "msgfmt", "whole-tree check", articles, [["sh", "-c", script]])


def available(tool: str) -> bool:
    if tool == "localize":
        return (BIN / "localize").exists()
    if tool == "mdpo":
        return subprocess.run([sys.executable, "-c", "import mdpo.md2po"], capture_output=True).returncode == 0
    if tool == "tt":
        return subprocess.run([sys.executable, "-c", "import translate.convert.md2po"],
                              capture_output=True).returncode == 0
    return shutil.which({"po4a": "po4a", "msgfmt": "msgfmt"}[tool]) is not None


# --- the report -------------------------------------------------------------------------------

STEPS = ("cold extract", "no-op extract", "no-op extract --check", "whole-tree check", "no-op check", "status",
         "no-op status", "full merge", "markdown merge", "cold merge", "update 20%")
OTHERS = ("mdpo", "po4a", "tt", "msgfmt")


def print_report(results: list[Measure], languages: tuple[str, ...]) -> None:
    sizes = sorted({result.articles for result in results})
    found = {(r.tool, r.step, r.articles): r for r in results}
    print(f"\n## Articles per second ({len(languages)} language(s): {', '.join(languages)}; "
          f"ratio = localize's time / the tool's)\n")
    for size in sizes:
        print(f"N = {size:,}\n")
        print("| step | localize art/s | CPU s | peak MiB | load | " +
              " | ".join(f"{tool} art/s | ratio" for tool in OTHERS) + " |")
        print("|---" * (5 + 2 * len(OTHERS)) + "|")
        for step in STEPS:
            ours = found.get(("localize", step, size))
            cells = [step]
            cells += ([f"{ours.per_second:.1f}", f"{ours.cpu:.1f}", f"{ours.peak_kib / 1024:.0f}", f"{ours.load:.2f}"]
                      if ours else ["-"] * 4)
            for tool in OTHERS:
                theirs = found.get((tool, step, size))
                if theirs is None:
                    cells += ["-", "-"]
                    continue
                ratio = "-" if ours is None else f"{ours.seconds / theirs.seconds:.{1 if ours.seconds >= theirs.seconds else 2}f}x"
                cells += [f"{theirs.per_second:.1f} ({theirs.peak_kib / 1024:.0f} MiB)", ratio]
            print("| " + " | ".join(cells) + " |")
        print()
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        added = large - small
        print(f"## Cost per article, N = {small:,} and N = {large:,}\n")
        print("Marginal: what each of the articles added between the two sizes cost (start-up excluded); "
              "growth: CPU per article at the larger size over the smaller (1.0 is linear).\n")
        print(f"| tool | step | ms/article at {small:,} | at {large:,} | CPU ms/article at {small:,} | at {large:,} "
              f"| marginal CPU ms/article | growth | peak MiB at {small:,} | at {large:,} | marginal KiB/article |")
        print("|---" * 11 + "|")
        for tool in ("localize", *OTHERS):
            for step in STEPS:
                a, b = found.get((tool, step, small)), found.get((tool, step, large))
                if a is None or b is None:
                    continue
                print(f"| {tool} | {step} | {1000 * a.seconds / small:.2f} | {1000 * b.seconds / large:.2f} "
                      f"| {1000 * a.cpu / small:.2f} | {1000 * b.cpu / large:.2f} "
                      f"| {1000 * (b.cpu - a.cpu) / added:.2f} | {(b.cpu / large) / (a.cpu / small):.2f}x "
                      f"| {a.peak_kib / 1024:.0f} | {b.peak_kib / 1024:.0f} | {(b.peak_kib - a.peak_kib) / added:.1f} |")
        print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000], metavar="N")
    parser.add_argument("--languages", type=int, default=1, help="How many languages (1 to 12).")
    parser.add_argument("--tools", default="localize,mdpo,po4a,tt,msgfmt")
    parser.add_argument("--others-up-to", type=int, default=None, metavar="N",
                        help="Run the other tools only at sizes up to N (localize at every size).")
    parser.add_argument("--skip", default="", metavar="STEP,...",
                        help="localize steps to leave out, such as 'full merge' at large N (cold extract always runs).")
    parser.add_argument("--repeat", type=int, default=3,
                        help="Runs of each step that can be run again alike: no-op steps, check, status, merges "
                             "(the median is kept).")
    parser.add_argument("--json", type=Path, metavar="FILE", help="Append every measure to FILE (JSON lines).")
    parser.add_argument("--report", type=Path, nargs="+", metavar="FILE",
                        help="Print the tables from the JSON lines of earlier runs, and run nothing.")
    parser.add_argument("--keep", type=Path, help="Build the trees in DIR and keep them.")
    parser.add_argument("--generate-only", type=Path, metavar="DIR", help="Write the corpus of the first size to DIR.")
    arguments = parser.parse_args()
    languages = ALL_LANGUAGES[:max(1, min(arguments.languages, len(ALL_LANGUAGES)))]
    if arguments.report:
        lines = [line for file in arguments.report for line in file.read_text(encoding="utf-8").splitlines() if line]
        print_report([Measure(**json.loads(line)) for line in lines], languages)
        return
    global JSON_LINES
    JSON_LINES = arguments.json
    if arguments.generate_only:
        generate(arguments.generate_only, arguments.sizes[0], languages)
        return
    if not Path(GNU_TIME).exists():
        raise SystemExit(f"{GNU_TIME} is needed for peak memory: apt-get install time")
    run_as_installed()
    steps = set(STEPS) - {step.strip() for step in arguments.skip.split(",")}
    wanted = [tool for tool in arguments.tools.split(",") if tool]
    tools = [tool for tool in wanted if available(tool)]
    for tool in sorted(set(wanted) - set(tools)):
        print(f"{tool}: not installed, left out (see the docstring for how to install it)")

    folder = arguments.keep or Path(tempfile.mkdtemp(prefix="localize-compare-"))
    results: list[Measure] = []
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    try:
        for size in arguments.sizes:
            corpus = folder / f"corpus-{size}"
            started = time.perf_counter()
            generate(corpus, size, languages)
            print(f"\nN = {size:,}, {len(languages)} language(s): corpus generated in "
                  f"{time.perf_counter() - started:.1f} s in {corpus}", flush=True)
            for tool in tools:
                if tool != "localize" and arguments.others_up_to is not None and size > arguments.others_up_to:
                    continue
                tree = folder / f"{tool}-{size}"
                shutil.rmtree(tree, ignore_errors=True)
                shutil.copytree(corpus, tree)
                if tool == "localize":
                    localize_steps(results, tree, size, arguments.repeat, steps)
                elif tool == "mdpo":
                    mdpo_steps(results, tree, size, languages, arguments.repeat)
                elif tool == "po4a":
                    po4a_steps(results, tree, size, languages)
                elif tool == "tt":
                    tt_steps(results, tree, size, languages)
                elif tool == "msgfmt":
                    msgfmt_steps(results, tree, size)
                if arguments.keep is None:
                    shutil.rmtree(tree, ignore_errors=True)
        print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
        print_report(results, languages)
    finally:
        if arguments.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
