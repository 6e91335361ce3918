"""The value on `articles.analyzed`: the article together with its analysis record."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from signalfire.models.analysis import AnalysisRecord
from signalfire.models.article import ArticleEvent


class AnalyzedArticle(BaseModel):
    model_config = ConfigDict(frozen=True)

    article: ArticleEvent
    analysis: AnalysisRecord
