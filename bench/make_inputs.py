"""Write the deterministic benchmark inputs into bench/out/.

Each input gets its own folder holding the Markdown file and a ``rules.yaml``:

* ``report/report.md``: the bundled ``examples/README.md``, else the corpus ``REPORT.md``.
* ``weekly-180k/weekly-180k.md``: the corpus ``archive2024.md`` (~180 KB).
* ``big-4m/big-4m.md``: ``archive2024.md`` + ``archive2025.md``, ten times over (~3.7 MB).

Where the corpus (``../shared/corpus`` beside the checkout) is absent, every file is
synthesised from a seeded RNG, so the same seed always gives the same bytes.

Usage: ``python bench/make_inputs.py [--seed N] [--corpus DIR] [--synthetic]``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
# CI clones the repo next to a copy of shared/, just as /work/main sits beside /work/shared.
DEFAULT_CORPUS = REPO_DIR.parent / "shared" / "corpus"
EXAMPLE_README = REPO_DIR / "examples" / "README.md"
MANIFEST_NAME = "inputs.json"
DEFAULT_SEED = 20241229
BIG_REPEATS = 10
# Sizes of the real archives, so synthetic inputs load the linter the way the corpus does.
SYNTH_YEAR_BYTES = {2024: 181_000, 2025: 186_000}

# Names the default profile explicitly: a comment-only rules.yaml is rejected (exit 2).
REPORT_RULES = (
    "# readme-guard rules for the benchmark's report input: the shipped defaults, unchanged.\n"
    "profile: default\n"
)
WEEKLY_RULES = "# readme-guard rules for a weekly reading-log input.\nprofile: weekly\n"


@dataclass(frozen=True)
class InputSpec:
    """One benchmark input: its CLI key, its folder/file stem and its rules.yaml text."""

    key: str
    stem: str
    rules: str

    def path(self, out_dir: Path) -> Path:
        return out_dir / self.stem / f"{self.stem}.md"


INPUTS: tuple[InputSpec, ...] = (
    InputSpec("report", "report", REPORT_RULES),
    InputSpec("weekly", "weekly-180k", WEEKLY_RULES),
    InputSpec("big", "big-4m", WEEKLY_RULES),
)

# --- vocabulary for synthetic text (invented here; mirrors the corpus' register only) ---

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
    "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉萍红玲芬燕彬鹏辉建文斌宇浩凯健俊帆"
EN_ADJ = (
    "Efficient",
    "Robust",
    "Unified",
    "Scalable",
    "Hierarchical",
    "Adaptive",
    "Contrastive",
    "Masked",
    "Sparse",
    "Multi-Scale",
    "Cross-Modal",
    "Temporal",
    "Self-Supervised",
    "Lightweight",
    "Diffusion-Based",
)
EN_NOUN = (
    "Transformers",
    "Prompts",
    "Adapters",
    "Representations",
    "Experts",
    "Tokens",
    "Priors",
    "Memories",
    "Graphs",
    "Policies",
    "Embeddings",
    "Autoencoders",
    "Agents",
)
EN_TASK = (
    "Vision-and-Language Navigation",
    "Dynamic Facial Expression Recognition",
    "Image Generation",
    "Embodied Question Answering",
    "Micro-Expression Recognition",
    "Robotic Manipulation",
    "Video Understanding",
    "Multimodal Emotion Recognition",
    "Face Swapping",
    "Open-Vocabulary Detection",
    "Speech Emotion Recognition",
    "Referring Expression Grounding",
)
VENUES = ("CVPR 2024", "ICCV 2023", "NeurIPS 2024", "ECCV 2024", "AAAI 2025", "ICLR 2025", "TPAMI")
CN_OPENERS = (
    "本文提出了一种",
    "作者设计了一个",
    "这篇论文针对",
    "该工作首次将",
    "文章从新的角度研究了",
)
CN_TOPICS = (
    "视觉语言导航中的长程规划问题",
    "动态表情识别里的时序建模",
    "多模态大模型的细粒度对齐",
    "具身智能体的主动探索策略",
    "微表情识别的数据稀缺困境",
    "扩散模型在图像编辑上的可控性",
    "机器人操作中的泛化能力",
    "语音情感识别的噪声鲁棒性",
)
CN_METHODS = (
    "通过引入分层的记忆模块来缓存历史观测",
    "利用对比学习拉近同类样本在特征空间中的距离",
    "采用双系统设计，快系统负责局部动作预测，慢系统负责全局推理",
    "将图像视作一种外语并交给冻结的语言模型处理",
    "设计了可学习的提示向量以自适应地融合多源信息",
    "在注意力计算中加入几何先验以减少无关区域的干扰",
    "先用教师模型生成伪标签，再用学生模型进行蒸馏",
)
CN_RESULTS = (
    "实验表明该方法在多个公开数据集上均取得了最优结果",
    "消融实验验证了每个模块的有效性",
    "在未见过的场景中也表现出较强的鲁棒性",
    "推理速度相比基线提升了近两倍",
    "但是方法依赖大量标注数据，迁移到真实场景仍有难度",
)
CN_REMARKS = (
    "个人认为这个思路可以借鉴到我们的课题中。",
    "代码已经开源，后续可以尝试复现。",
    "写作非常清晰，图表值得学习。",
    "不足之处在于实验设置比较理想化。",
)
CN_SKIPS = (
    "本周准备考试，没有来得及精读",
    "改自己的论文+泛读，未精读",
    "本周没找到感兴趣的论文，泛读偏多",
)
REPORT_SECTIONS = {
    "Deep Learning": ("PETL", "MoE"),
    "CV": ("Facial expression recognition", "Video pretrain"),
    "Multimodality": (),
    "Embodied AI": ("Navigation", "Manipulate"),
}


def cn_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))


def en_title(rng: random.Random) -> str:
    title = f"{rng.choice(EN_ADJ)} {rng.choice(EN_NOUN)} for {rng.choice(EN_TASK)}"
    if rng.random() < 0.4:
        acronym = "".join(rng.choices("ABCDEFGHKLMNPRSTVX", k=rng.randint(3, 5)))
        title = f"{acronym}: {title}"
    return title


def cn_summary(rng: random.Random) -> str:
    sentences = [f"{rng.choice(CN_OPENERS)}{rng.choice(CN_TOPICS)}的新框架"]
    sentences += rng.sample(CN_METHODS, k=rng.randint(2, 4))
    sentences += rng.sample(CN_RESULTS, k=rng.randint(1, 3))
    return "，".join(sentences) + "。" + rng.choice(CN_REMARKS)


def arxiv_url(rng: random.Random, year: int) -> str:
    yymm = f"{year % 100:02d}{rng.randint(1, 12):02d}"
    return f"https://arxiv.org/abs/{yymm}.{rng.randint(1, 19999):05d}"


def weekly_entry(rng: random.Random, date: str) -> str:
    """One quoted log entry; about one in ten records a skipped week, as the real log does."""
    head = f"> > [{date}]-[{cn_name(rng)}]-"
    if rng.random() < 0.1:
        return head + rng.choice(CN_SKIPS) + "\n"
    title = en_title(rng)
    image = title.split(":")[0].replace(" ", "%20")
    year = int(date[:4])
    return (
        f"{head}[{title}]({arxiv_url(rng, year)})\n"
        f'> > <img width="512" alt="image" '
        f'src="https://github.com/ReadingPapers/Report/blob/main/Images/{image}.png">\n'
        "> >\n"
        f"> > 论文简述：{cn_summary(rng)}{cn_summary(rng)}\n"
    )


def month_dates(rng: random.Random, year: int, month: int, count: int) -> Iterator[str]:
    """Newest-first dates inside one month (the log is in reverse order; days may repeat)."""
    for day in sorted(rng.choices(range(2, 29), k=count), reverse=True):
        yield f"{year}-{month}-{day}"
    while True:  # an unexpectedly long month keeps going on its first day, still in order
        yield f"{year}-{month}-1"


def synth_weekly(year: int, target_bytes: int, rng: random.Random) -> str:
    """A year of the weekly log: a `## ` heading per month, each month one quote of entries."""
    parts = [f"# {year} 小组论文精读归档\n"]
    size = len(parts[0].encode())
    for index, month in enumerate(range(12, 0, -1), start=1):
        # Spread the byte budget evenly so every month gets a similar number of entries.
        month_goal = target_bytes * index // 12
        heading = f"\n## {year}-{month:02d}\n\n"
        parts.append(heading)
        size += len(heading.encode())
        # Entries average ~1 KB; spreading that many dates covers the whole month.
        dates = month_dates(rng, year, month, count=max(4, (month_goal - size) // 1000))
        entries = [weekly_entry(rng, next(dates))]
        size += len(entries[0].encode())
        while size < month_goal:
            entries.append(">\n" + weekly_entry(rng, next(dates)))
            size += len(entries[-1].encode())
        parts += entries
    return "".join(parts)


def slug(heading: str) -> str:
    """GitHub-style anchor for the plain ASCII headings used in the synthetic report."""
    kept = "".join(c for c in heading.lower() if c.isalnum() or c in " -")
    return kept.replace(" ", "-")


def report_toc() -> str:
    lines = ["<!-- TOC -->"]
    for section, subsections in REPORT_SECTIONS.items():
        lines.append(f"  * [{section}](#{slug(section)})")
        lines += [f"    * [{sub}](#{slug(sub)})" for sub in subsections]
    lines.append("<!-- TOC -->")
    return "\n".join(lines) + "\n"


def report_entry(rng: random.Random) -> str:
    title = en_title(rng)
    short = title.split(":")[0].replace(" ", "-")[:24]
    return (
        f"> {title} ({rng.choice(VENUES)})\n"
        f"> [Paper]({arxiv_url(rng, 2024)}),\n"
        f"> [Code](https://github.com/ReadingPapers/Share/tree/main/{short})\n"
        f"> ![image](https://github.com/ReadingPapers/Report/blob/main/Images/{short}.png)\n"
        f">> 描述: {cn_summary(rng)}\n"
    )


def synth_report(rng: random.Random) -> str:
    """A small topic-sorted report: TOC, `##`/`###` sections and quoted paper blocks."""
    parts = [
        "# 小组会报告分享\n\n",
        "> 按照以下格式介绍分享的paper，定期归类整理！\n\n",
        report_toc(),
    ]
    for section, subsections in REPORT_SECTIONS.items():
        parts.append(f"\n## {section}\n\n")
        for sub in subsections:
            parts.append(f"### {sub}\n\n")
            parts += [report_entry(rng) + "\n&nbsp;\n\n" for _ in range(2)]
    return "".join(parts)


# --- assembling the three inputs ---


def read_optional(path: Path | None) -> bytes | None:
    return path.read_bytes() if path is not None and path.is_file() else None


def ensure_newline(data: bytes) -> bytes:
    """Keep concatenated copies from gluing a last line onto the next file's heading."""
    return data if data.endswith(b"\n") else data + b"\n"


def build_report(
    example: Path | None, corpus: Path | None, rng: random.Random
) -> tuple[bytes, str]:
    candidates = (
        (example, "examples/README.md"),
        (corpus_file(corpus, "REPORT.md"), "corpus REPORT.md"),
    )
    for path, label in candidates:
        data = read_optional(path)
        if data is not None:
            return data, label
    return synth_report(rng).encode(), "synthesised report"


def corpus_file(corpus: Path | None, name: str) -> Path | None:
    return None if corpus is None else corpus / name


def year_archive(corpus: Path | None, year: int, seed: int) -> tuple[bytes, str]:
    data = read_optional(corpus_file(corpus, f"archive{year}.md"))
    if data is not None:
        return data, f"corpus archive{year}.md"
    # A per-year RNG keeps the 2024 text identical in weekly-180k and big-4m.
    text = synth_weekly(year, SYNTH_YEAR_BYTES[year], random.Random(seed + year))
    return text.encode(), f"synthesised {year} log (seed {seed + year})"


def build_big(corpus: Path | None, seed: int) -> tuple[bytes, str]:
    a2024, src2024 = year_archive(corpus, 2024, seed)
    a2025, src2025 = year_archive(corpus, 2025, seed)
    one_round = ensure_newline(a2024) + b"\n" + ensure_newline(a2025) + b"\n"
    return one_round * BIG_REPEATS, f"({src2024} + {src2025}) x {BIG_REPEATS}"


def build_all(example: Path | None, corpus: Path | None, seed: int) -> dict[str, tuple[bytes, str]]:
    return {
        "report": build_report(example, corpus, random.Random(seed)),
        "weekly": year_archive(corpus, 2024, seed),
        "big": build_big(corpus, seed),
    }


def write_inputs(
    out_dir: Path, example: Path | None, corpus: Path | None, seed: int
) -> dict[str, dict[str, object]]:
    """Write every input plus its rules.yaml and a manifest; return the manifest."""
    manifest: dict[str, dict[str, object]] = {}
    built = build_all(example, corpus, seed)
    for spec in INPUTS:
        data, source = built[spec.key]
        path = spec.path(out_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        (path.parent / "rules.yaml").write_text(spec.rules, encoding="utf-8")
        manifest[spec.key] = {
            "path": str(path.relative_to(out_dir)),
            "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "source": source,
        }
    manifest_text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    (out_dir / MANIFEST_NAME).write_text(manifest_text, encoding="utf-8")
    return manifest


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed for synthetic text")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="real corpus folder")
    parser.add_argument(
        "--synthetic", action="store_true", help="ignore the corpus and examples; synthesise all"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # --synthetic exercises the path CI takes when neither the corpus nor the example exists.
    corpus: Path | None = None if args.synthetic else args.corpus
    example: Path | None = None if args.synthetic else EXAMPLE_README
    manifest = write_inputs(args.out, example, corpus, args.seed)
    for key, entry in manifest.items():
        print(f"{key:7} {entry['bytes']:>10,} B  {entry['path']}  <- {entry['source']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
