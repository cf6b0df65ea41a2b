"""How long does ``localize extract`` take on a newsroom's archive? Run by hand, never in the tests.

Generates, in a temporary folder, a corpus of ARTICLES articles (10,000 by
default) with catalogs in five languages that translators have already filled
(9 in 10 entries, as in an archive where the latest stories are still being
translated), then times:

1. the first extract (no cache: every article and catalog read, every file
   rewritten in the writer's layout);
2. no-op extracts, which must read nothing;
3. a one-article update: a typo fixed, a sentence added to a paragraph and a
   paragraph taken from another article, so that the update asks the
   translation memory for exact and fuzzy matches in five languages;
4. a new article made of boilerplate and near-copies of other articles.

Each step runs ``localize.steps.extract.extract`` in this process (the library's own
time, and the time spent in memory lookups), and the no-op and the update
also as the ``localize`` command (what a user waits for, Python's start-up
and imports included).

    .venv/bin/python benchmarks/extract_corpus.py [--articles N] [--keep DIR]

Any change to localize's code makes the next extract redo every article (its
fingerprint is part of the cache): in a tree others are editing, run it on a
copy, ``cp -r localize /tmp/snapshot/ && PYTHONPATH=/tmp/snapshot .venv/bin/python ...``.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    import localize  # noqa: F401 - the installed one, or a snapshot on PYTHONPATH
except ImportError:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from localize import memory as memory_module  # noqa: E402
from localize.steps import extract as extract_step  # noqa: E402
from localize.config import load_config  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare import ALL_LANGUAGES, BOILERPLATE  # noqa: E402 - one corpus for every benchmark
from compare import generate as generate_corpus  # noqa: E402

LANGUAGES = ALL_LANGUAGES[:5]


def generate(root: Path, articles: int) -> None:
    """The corpus of benchmarks/compare.py, in five languages."""
    generate_corpus(root, articles, LANGUAGES)


class MatchingTimer:
    """Time spent in the translation memory's lookups."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.lookups = 0
        self._exact = memory_module.LanguageMemory.exact
        self._similar = memory_module.LanguageMemory.similar

    def __enter__(self) -> MatchingTimer:
        timer = self

        def timed(function):
            def wrapper(*args, **kwargs):
                started = time.perf_counter()
                try:
                    return function(*args, **kwargs)
                finally:
                    timer.seconds += time.perf_counter() - started
                    timer.lookups += 1
            return wrapper

        memory_module.LanguageMemory.exact = timed(self._exact)
        memory_module.LanguageMemory.similar = timed(self._similar)
        return self

    def __exit__(self, *exc) -> None:
        memory_module.LanguageMemory.exact = self._exact
        memory_module.LanguageMemory.similar = self._similar


def timed_extract(root: Path, label: str) -> extract_step.ExtractReport:
    config = load_config(root)
    with MatchingTimer() as matching:
        started, cpu = time.perf_counter(), time.process_time()
        report = extract_step.extract(config)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"{label:<34} {elapsed:8.2f} s (CPU {cpu:6.2f} s)   {len(report.changed):6d} file(s) written, "
        f"{report.articles - report.skipped:5d} article(s) read; "
        f"memory: {matching.lookups} lookup(s), {matching.seconds:.3f} s"
    )
    return report


def timed_command(root: Path, label: str) -> None:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "localize", "-C", str(root), "extract"],
                            capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    imports = subprocess.run([sys.executable, "-c", "import localize.cli"], capture_output=True)
    assert imports.returncode == 0
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import localize.cli"], check=True)
    startup = time.perf_counter() - started
    print(f"{label:<34} {elapsed:8.2f} s, of which {startup:.2f} s start-up and imports"
          f"   ({result.stdout.strip().splitlines()[-1]})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="Build the corpus in DIR and keep it.")
    arguments = parser.parse_args()

    folder = arguments.keep or Path(tempfile.mkdtemp(prefix="localize-benchmark-"))
    root = folder / "newsroom"
    try:
        started = time.perf_counter()
        generate(root, arguments.articles)
        print(f"{arguments.articles} articles x {len(LANGUAGES)} languages generated in "
              f"{time.perf_counter() - started:.1f} s in {root}")

        timed_extract(root, "first extract (no cache)")
        for attempt in (1, 2, 3):
            timed_extract(root, f"no-op extract #{attempt}")
        timed_command(root, "no-op, localize command")

        # One article corrected: a typo, a sentence added, a paragraph pasted from another story.
        rng = random.Random(7)
        slugs = sorted(path.relative_to(root / "source_articles").with_suffix("").as_posix()
                       for path in (root / "source_articles").rglob("*.md"))
        edited, other = rng.sample(slugs, 2)
        source = root / "source_articles" / f"{edited}.md"
        paragraphs = source.read_text(encoding="utf-8").split("\n\n")
        borrowed = (root / "source_articles" / f"{other}.md").read_text(encoding="utf-8").split("\n\n")[2]
        paragraphs[2] = paragraphs[2].replace(" the ", " teh ", 1)
        paragraphs[3] = paragraphs[3] + " The mayor confirmed it."
        paragraphs.insert(4, borrowed.replace(".", "!", 1))
        source.write_text("\n\n".join(paragraphs), encoding="utf-8")
        timed_extract(root, "one article updated")

        paragraphs[2] = paragraphs[2] + " Rescuers are at the scene."
        source.write_text("\n\n".join(paragraphs), encoding="utf-8")
        timed_command(root, "one article updated, command")

        new = root / "source_articles/2030/breaking.md"
        new.parent.mkdir(parents=True, exist_ok=True)
        near = [(root / "source_articles" / f"{slug}.md").read_text(encoding="utf-8").split("\n\n")[3]
                for slug in rng.sample(slugs, 3)]
        new.write_text("# Breaking\n\n" + "\n\n".join([*BOILERPLATE, *(text + " Updated." for text in near)]) + "\n",
                       encoding="utf-8")
        timed_extract(root, "new article from the memory")
        timed_extract(root, "no-op extract")
    finally:
        if arguments.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
