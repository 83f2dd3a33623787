"""What makes two papers, two assets and two URLs the same (readme_guard.identity)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readme_guard.destinations import parse_destination
from readme_guard.identity import (
    PaperKey,
    arxiv_id,
    asset_path,
    doi,
    link_key,
    normalise_title,
    normalise_url,
    openreview_id,
    title_key,
)


@pytest.mark.parametrize(
    "url",
    [
        "https://arxiv.org/abs/2005.12872",
        "https://arxiv.org/pdf/2005.12872v3.pdf",
        "https://arxiv.org/pdf/2005.12872",
        "https://arxiv.org/html/2005.12872v2/",
        "http://arxiv.org/abs/2005.12872v1",
        "https://www.arxiv.org/abs/2005.12872#S3",
        "https://export.arxiv.org/pdf/2005.12872v2.pdf",
        "https://arxiv.org/ftp/arxiv/papers/2005/2005.12872.pdf",
        "  https://arxiv.org/abs/2005.12872  ",
    ],
)
def test_arxiv_forms_name_one_paper(url: str) -> None:
    assert arxiv_id(url) == "2005.12872"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://arxiv.org/abs/hep-th/9901001", "hep-th/9901001"),
        ("https://arxiv.org/pdf/hep-th/9901001v2.pdf", "hep-th/9901001"),
        ("https://arxiv.org/abs/math.GT/0309136", "math/0309136"),
        ("https://arxiv.org/abs/math/0309136v1", "math/0309136"),
        ("https://arxiv.org/abs/cond-mat.stat-mech/0102536", "cond-mat/0102536"),
        ("https://arxiv.org/abs/2404.18327", "2404.18327"),
        ("https://arxiv.org/abs/0704.0001", "0704.0001"),
    ],
)
def test_arxiv_identifiers(url: str, expected: str) -> None:
    assert arxiv_id(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://arxiv.org/list/cs.CV/recent",
        "https://arxiv.org/html/2005.12872v1/x1.png",  # a figure of the paper, not the paper
        "https://arxiv.org/abs/2005.128",
        "https://notarxiv.org/abs/2005.12872",
        "https://github.com/arxiv.org/abs/2005.12872",
        "Images/2005.12872.png",
        "https://arxiv.org:bad/abs/2005.12872",
    ],
)
def test_not_arxiv(url: str) -> None:
    assert arxiv_id(url) is None


@given(
    number=st.integers(min_value=0, max_value=99999),
    month=st.integers(min_value=1, max_value=12),
    year=st.integers(min_value=7, max_value=99),
    form=st.sampled_from(["abs/{}", "pdf/{}", "pdf/{}.pdf", "html/{}", "html/{}/"]),
    version=st.sampled_from(["", "v1", "v12"]),
    host=st.sampled_from(["https://arxiv.org", "http://www.arxiv.org", "https://export.arxiv.org"]),
)
def test_any_form_of_a_new_style_id_gives_the_id(
    number: int, month: int, year: int, form: str, version: str, host: str
) -> None:
    identifier = f"{year:02d}{month:02d}.{number:05d}"
    url = f"{host}/{form.format(identifier + version)}"
    assert arxiv_id(url) == identifier


@pytest.mark.parametrize(
    "destination",
    [
        "https://doi.org/10.1016/j.ins.2024.121198",
        "http://dx.doi.org/10.1016/J.INS.2024.121198",
        "https://doi.org/10.1016%2Fj.ins.2024.121198",
        "https://www.doi.org/10.1016/j.ins.2024.121198.",
        "doi:10.1016/j.ins.2024.121198",
        "DOI: 10.1016/j.ins.2024.121198",
    ],
)
def test_doi_forms(destination: str) -> None:
    assert doi(destination) == "10.1016/j.ins.2024.121198"


def test_acm_digital_library_urls_carry_a_doi() -> None:
    assert doi("https://dl.acm.org/doi/10.1145/3581783.3612873") == "10.1145/3581783.3612873"
    assert doi("https://dl.acm.org/doi/abs/10.1145/3581783.3612840") == "10.1145/3581783.3612840"
    assert doi("https://dl.acm.org/doi/pdf/10.1145/3589335.3651971") == "10.1145/3589335.3651971"
    assert doi("https://dl.acm.org/toc/tomm/2024/20/1") is None


@pytest.mark.parametrize(
    "destination",
    ["https://doi.org/", "https://doi.org/help", "doi:", "https://example.org/10.1000/x"],
)
def test_not_a_doi(destination: str) -> None:
    assert doi(destination) is None


def test_openreview_forum_and_pdf_are_one_submission() -> None:
    assert openreview_id("https://openreview.net/forum?id=Zos5wsaB5r") == "Zos5wsaB5r"
    assert openreview_id("https://openreview.net/pdf?id=Zos5wsaB5r") == "Zos5wsaB5r"
    assert openreview_id("https://openreview.net/forum?id=Zos5wsaB5r&noteId=x1") == "Zos5wsaB5r"
    assert openreview_id("https://openreview.net/group?id=ICLR.cc/2024") is None
    assert openreview_id("https://openreview.net/forum") is None


def test_link_keys_say_which_identity_matched() -> None:
    assert link_key("https://arxiv.org/abs/2005.12872") == PaperKey("arXiv", "2005.12872", "")
    assert link_key("https://doi.org/10.48550/arXiv.2005.12872") == PaperKey(
        "arXiv", "2005.12872", ""
    )  # arXiv's own DOI names the preprint
    assert link_key("doi:10.1109/ICCV48922.2021.00153") == PaperKey(
        "DOI", "10.1109/iccv48922.2021.00153", ""
    )
    key = link_key("https://openreview.net/pdf?id=Zos5wsaB5r")
    assert key is not None and key.describe() == "OpenReview Zos5wsaB5r"
    assert link_key("https://github.com/facebookresearch/detr") is None


def test_openreview_ids_keep_their_case() -> None:
    assert link_key("https://openreview.net/forum?id=abc") != link_key(
        "https://openreview.net/forum?id=ABC"
    )


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Ｓｉａｍｅｓｅ Ｍａｓｋｅｄ Ａｕｔｏｅｎｃｏｄｅｒｓ", "Siamese Masked Autoencoders"),
        ("Siamese Masked Autoencoders (NeurIPS 2023 Oral)", "Siamese Masked Autoencoders"),
        ("Siamese Masked Autoencoders (NeurIPS'23)", "Siamese Masked Autoencoders (CVPR2024)"),
        (
            "Masked Autoencoders Are Scalable Vision Learners (CVPR 2022)",
            "masked autoencoders are scalable vision learners",
        ),
        (
            "Text-Guided Video Masked Autoencoder（ECCV 2024）",
            "Text Guided Video Masked Autoencoder",
        ),
        (
            "R1-Omni Explainable Omni-Multimodal EmotionRecognition",
            "R1-Omni: Explainable Omni-Multimodal Emotion Recognition",
        ),
        (
            "VLFM: Vision-Language Frontier Mapsfor Zero-Shot",
            "VLFM: Vision-Language Frontier Maps for Zero-Shot",
        ),
        (
            "Emotion-LLaMA: Multimodal Emotion Recognition (arXiv)",
            "Emotion-LLaMA: Multimodal Emotion Recognition",
        ),
        ("用于视频理解的掩码自编码器", "用于视频理解的 掩码自编码器。"),
    ],
)
def test_titles_that_name_one_paper(one: str, other: str) -> None:
    assert normalise_title(one) == normalise_title(other)
    assert title_key(one) == title_key(other) is not None


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("SyncTalk: Talking Head Synthesis", "SyncTalk++: Talking Head Synthesis"),
        ("Video Learning (Part I)", "Video Learning (Part II)"),
        ("Masked Autoencoders Are Scalable Vision Learners", "Masked Autoencoders Are Scalable"),
    ],
)
def test_titles_of_different_papers(one: str, other: str) -> None:
    assert title_key(one) != title_key(other)


@pytest.mark.parametrize("title", ["VLN", "Multi", "R1", "  ", "(CVPR 2022)", "A-B-C-D (2023)"])
def test_short_titles_are_no_keys(title: str) -> None:
    assert title_key(title) is None


def test_title_key_message_drops_the_venue() -> None:
    key = title_key("Siamese Masked Autoencoders (NeurIPS 2023 Oral)")
    assert key is not None and key.describe() == "title 'Siamese Masked Autoencoders'"


@pytest.mark.parametrize(
    "url",
    [
        "https://mp.weixin.qq.com/s/dz6Ad_pVveXwe6O0RvF7iw",
        "http://mp.weixin.qq.com/s/dz6Ad_pVveXwe6O0RvF7iw",
        "HTTPS://MP.Weixin.QQ.com/s/dz6Ad_pVveXwe6O0RvF7iw",
        "https://www.mp.weixin.qq.com/s/dz6Ad_pVveXwe6O0RvF7iw/",
        "https://mp.weixin.qq.com:443/s/dz6Ad_pVveXwe6O0RvF7iw#top",
        "http://mp.weixin.qq.com:80/s/dz6Ad_pVveXwe6O0RvF7iw",
        "//mp.weixin.qq.com/s/dz6Ad_pVveXwe6O0RvF7iw",
    ],
)
def test_url_forms_of_one_page(url: str) -> None:
    assert normalise_url(url) == "mp.weixin.qq.com/s/dz6Ad_pVveXwe6O0RvF7iw"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("https://openreview.net/forum?id=A1", "https://openreview.net/forum?id=B2"),  # query
        ("https://example.org/Paper.pdf", "https://example.org/paper.pdf"),  # path case
        ("https://example.org:8080/a", "https://example.org/a"),  # a port of its own
        ("https://example.org/a", "https://example.org/a/b"),
    ],
)
def test_urls_of_different_pages(one: str, other: str) -> None:
    assert normalise_url(one) != normalise_url(other)


@pytest.mark.parametrize(
    "destination",
    ["mailto:a@example.org", "data:image/png;base64,AAAA", "Images/a.png", "#top", ""],
)
def test_only_web_urls_have_url_keys(destination: str) -> None:
    assert normalise_url(destination) is None


@pytest.mark.parametrize(
    "written",
    ["Images/a.png", "./Images/a.png", "Images%2Fa.png", "Slide/../Images/a.png", "<Images/a.png>"],
)
def test_local_paths_of_one_file(written: str) -> None:
    path = parse_destination(written).path
    assert asset_path(path, "/repo/docs") == "/repo/docs/Images/a.png"


def test_a_leading_slash_is_resolved_by_the_caller_against_the_root() -> None:
    assert asset_path("/Images/a.png", "/repo") == "/repo/Images/a.png"
    assert asset_path("../Images/a.png", "/repo/docs") == "/repo/Images/a.png"
    assert asset_path("Images/A.png", "/repo") != asset_path("Images/a.png", "/repo")
