"""Internal message shapes between the stream stages (not part of the public contract)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from signalfire.models.analysis import ArticleAnalysis
from signalfire.models.article import ArticleEvent


class FindingsEnvelope(BaseModel):
    """analyze -> correlate: the validated article and its per-article findings."""

    model_config = ConfigDict(frozen=True)

    article: ArticleEvent
    analysis: ArticleAnalysis
