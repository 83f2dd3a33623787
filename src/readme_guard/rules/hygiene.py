"""RG6xx: problems of the file itself rather than of its paper blocks."""

from __future__ import annotations

from collections.abc import Iterator

from readme_guard.context import RuleContext
from readme_guard.diagnostic import Finding
from readme_guard.rules import rule


@rule("RG602", "invalid-suppression", "Suppression comment naming an unknown rule, or unused",
      severity="warning")
def invalid_suppression(ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Checks `<!-- readme-guard-disable ... -->` comments: each must name known rules (by code
    or name) and must suppress at least one finding.

    ## Why is this bad?
    A comment with a misspelt rule name silences nothing, and one left behind after its
    finding was fixed hides the next real problem at that spot.

    ## Example
    ```markdown
    ## Vision

    <!-- readme-guard-disable-next-line missing-figur -->
    > Masked Autoencoders Are Scalable Vision Learners (CVPR 2022)
    > [Paper](https://arxiv.org/abs/2111.06377)
    >> Masks random patches and reconstructs them.
    ```

    ## Use instead
    ```markdown
    ## Vision

    <!-- readme-guard-disable-next-line missing-figure -->
    > Masked Autoencoders Are Scalable Vision Learners (CVPR 2022)
    > [Paper](https://arxiv.org/abs/2111.06377)
    >> Masks random patches and reconstructs them.
    ```
    """
    # The suppression pass reports these: it alone knows which comments were used.
    return iter(())
