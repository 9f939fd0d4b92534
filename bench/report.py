"""What the benchmarks hand back, and how it becomes bench/RESULTS.md and bench/plots/*.png.

Each benchmark returns a Section: its tables, notes, the QEMU command lines it
ran, summary rows for the table at the top of RESULTS.md, and bar charts that
gnuplot (Debian's gnuplot-nox, installed by ./setup) draws as PNG files.
"""
import os
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field

MISSING = "–"
# One colour per series in every plot, so sole is the same bar everywhere.
COLOURS = {"sole": "#7b3294", "Linux guest": "#e66101", "native": "#5e9fd8", "floor": "#999999"}


@dataclass
class Table:
    header: list
    rows: list


@dataclass
class Plot:
    """A clustered bar chart: one cluster per group, one bar per series."""
    name: str
    title: str
    ylabel: str
    series: list
    groups: list  # (label, [one value or None per series]); a label may hold line breaks
    logscale: bool = False


@dataclass
class SummaryRow:
    """One line of the summary. ADVANTAGE is how many times better sole does than the
    Linux guest: Linux ÷ sole for times and sizes, sole ÷ Linux for rates."""
    measure: str
    sole: str
    linux: str
    native: str
    advantage: str
    target: str


@dataclass
class Section:
    name: str
    title: str
    intro: str
    tables: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    commands: list = field(default_factory=list)  # (label, argv)
    plots: list = field(default_factory=list)
    summary: list = field(default_factory=list)


def number(value, digits=1, unit=""):
    """VALUE with DIGITS decimals and a thousands separator, or a dash when there is none."""
    if value is None:
        return MISSING
    return f"{value:,.{digits}f}{unit}"


def times(value):
    """A ratio such as 12.3×."""
    return number(value, 1, "×")


def markdown_table(table):
    lines = ["| " + " | ".join(table.header) + " |",
             "|" + "|".join("---" if i == 0 else "---:" for i in range(len(table.header))) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in table.rows]
    return "\n".join(lines)


def draw(plot, folder):
    """Writes FOLDER/NAME.png with gnuplot; returns its path."""
    gnuplot = shutil.which("gnuplot")
    if gnuplot is None:
        raise RuntimeError("gnuplot is not installed; run ./setup (it installs Debian's gnuplot-nox)")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, plot.name + ".png")
    label_lines = max(len(label.splitlines()) for label, _ in plot.groups)
    with tempfile.NamedTemporaryFile("w", suffix=".dat") as data:
        for label, values in plot.groups:
            cells = ["-" if value is None else repr(float(value)) for value in values]
            shown = label.replace("\n", "\\n")  # gnuplot breaks a tic label at \n
            data.write(f'"{shown}" ' + " ".join(cells) + "\n")
        data.flush()
        columns = ", ".join(
            f"'{data.name}' using {i + 2}{':xtic(1)' if i == 0 else ''} title '{series}'"
            f" linecolor rgb '{COLOURS.get(series, 'black')}'"
            for i, series in enumerate(plot.series))
        script = "\n".join([
            "set terminal pngcairo size 900,500 font 'sans,10'",
            f"set output '{path}'",
            f"set title '{plot.title}'",
            f"set ylabel '{plot.ylabel}'",
            "set datafile missing '-'",
            "set style data histograms",
            "set style histogram clustered gap 1",
            "set style fill solid 0.8 border -1",
            "set key top left",
            f"set bmargin {label_lines + 2}",
            "set grid ytics",
            "set yrange [0:*]" if not plot.logscale else "set logscale y",
            f"plot {columns}",
        ])
        proc = subprocess.run([gnuplot], input=script, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"gnuplot failed on {plot.name}: {proc.stderr.strip()}")
    return path


def shown(argv, root):
    """ARGV as a shell line, with paths inside the repository ROOT made relative to it."""
    return shlex.join(os.path.relpath(arg, root) if arg.startswith(root + os.sep) else arg for arg in argv)


def write(sections, machine_lines, command_line, output_folder, root):
    """Writes RESULTS.md and plots/ into OUTPUT_FOLDER; returns the RESULTS.md path.
    Paths inside the repository ROOT are shown relative to it."""
    plots_folder = os.path.join(output_folder, "plots")
    lines = ["# sole benchmarks", "",
             f"Written by `{command_line}`. Figures are wall-clock times on a shared machine; "
             "compare rows of the same run, not across runs.", ""]
    lines += [f"- {line}" for line in machine_lines]
    summary = [row for section in sections for row in section.summary]
    if summary:
        lines += ["", "## Summary", "",
                  "*sole's advantage* is how many times better sole does than the Linux guest: "
                  "Linux ÷ sole for times and sizes, sole ÷ Linux for request rates.", "",
                  markdown_table(Table(["measure", "sole", "Linux guest", "native", "sole's advantage", "target"],
                                       [[r.measure, r.sole, r.linux, r.native, r.advantage, r.target]
                                        for r in summary]))]
    for section in sections:
        lines += ["", f"## {section.title}", "", section.intro]
        for table in section.tables:
            lines += ["", markdown_table(table)]
        for plot in section.plots:
            path = draw(plot, plots_folder)
            lines += ["", f"![{plot.title}]({os.path.relpath(path, output_folder)})"]
        if section.notes:
            lines += [""] + [f"- {note}" for note in section.notes]
        if section.commands:
            lines += ["", "QEMU command lines:", ""]
            lines += [f"- {label}: `{shown(argv, root)}`" for label, argv in section.commands]
    path = os.path.join(output_folder, "RESULTS.md")
    soak = kept_soak_section(path)
    with open(path, "w") as results:
        results.write("\n".join(lines) + "\n" + soak)
    return path


def kept_soak_section(path):
    """The "## Soak" section of the RESULTS.md at PATH, from its heading to the end, or
    "": bench/soak appends its runs there by hand, and a new bench/run keeps them."""
    try:
        with open(path) as results:
            text = results.read()
    except FileNotFoundError:
        return ""
    start = text.find("\n## Soak\n")
    return text[start:] if start >= 0 else ""
