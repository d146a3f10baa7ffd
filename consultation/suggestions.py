"""Suggested themes and suggested coding of free text, computed here.

Pure functions over lists of strings: nothing is sent anywhere, no model is
downloaded, and the same input gives the same output (fixed random seeds).
The worker calls them through consultation.coding; the evaluation command
calls them on a hand-coded file.

- candidate_themes: TF-IDF over words and word pairs, k-means on the
  normalised vectors; each cluster gives its key phrases (the heaviest terms
  of its centre) and its most representative answers (nearest the centre).
- suggest_coding: from the answers an officer has coded, one logistic
  regression per theme (one-vs-rest, balanced class weights) over
  character n-grams within words, so that typos and word forms ("stret
  lights", "lighting") still match; each uncoded answer gets the themes
  whose probability reaches the threshold, with that probability as the
  confidence. Character n-grams alone measured better than words and
  characters together on the hand-coded set (see README).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

# Words that say nothing about a theme in a consultation answer, on top of
# scikit-learn's English stop words.
EXTRA_STOP_WORDS = frozenset(
    """
    just really think like need needs want people place area areas make
    make made lot lots thing things way ve don didn isn doesn dont im
    would could should also get got go going much many every please
    """.split()
)

# Suggestions are stored from MIN_CONFIDENCE up; pages offer those from
# SUGGEST_THRESHOLD up by default, and the evaluation counts those.
MIN_CONFIDENCE = 0.2
SUGGEST_THRESHOLD = 0.3
REGULARISATION_C = 5.0
# A theme needs this many coded answers (and one coded answer without it)
# before suggestions are made for it.
MIN_EXAMPLES = 2

Progress = Callable[[int, str], None]


def _no_progress(percent: int, stage: str) -> None:
    return None


def _stop_words() -> list[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return sorted(ENGLISH_STOP_WORDS | EXTRA_STOP_WORDS)


def _word_vectoriser(min_df: int):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        lowercase=True, stop_words=_stop_words(), ngram_range=(1, 2), min_df=min_df,
        max_df=0.5, sublinear_tf=True, token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z'-]+\b",
    )


def content_words(text: str) -> list[str]:
    """The words of a text that are not stop words, each once, in order."""
    import re

    stop = set(_stop_words())
    seen: dict[str, None] = {}
    for word in re.findall(r"[a-z][a-z'-]+", (text or "").lower()):
        word = word.strip("'-")
        if len(word) > 2 and word not in stop:
            seen.setdefault(word, None)
    return list(seen)


def similarity_vectors(texts: Sequence[str]):
    """Unit vectors of character n-grams of each text's words that are not
    stop words: their dot products are the texts' cosine similarities."""
    import re

    from sklearn.feature_extraction.text import TfidfVectorizer

    stop = set(_stop_words())
    words = [
        " ".join(w for w in re.findall(r"[a-z][a-z'-]+", (t or "").lower()) if w not in stop)
        for t in texts
    ]
    vectoriser = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                                 min_df=2 if len(texts) >= 20 else 1)
    return vectoriser.fit_transform(words)


# Candidate themes ------------------------------------------------------------


@dataclass
class CandidateTheme:
    label: str
    key_phrases: list[str]
    size: int
    # Indexes into the texts given, nearest the cluster's centre first.
    representatives: list[int] = field(default_factory=list)


def cluster_count(n: int) -> int:
    """How many candidate themes to offer for n answers: enough to separate
    what people raise, few enough for an officer to read."""
    return max(2, min(15, round(math.sqrt(n / 3))))


def candidate_themes(
    texts: Sequence[str], *, k: int | None = None, phrases: int = 6, examples: int = 3,
    progress: Progress = _no_progress,
) -> list[CandidateTheme]:
    import numpy as np
    from sklearn.cluster import KMeans

    texts = [t or "" for t in texts]
    if len(texts) < 4:
        return []
    progress(20, "Reading the answers")
    vectoriser = _word_vectoriser(min_df=2 if len(texts) >= 20 else 1)
    try:
        matrix = vectoriser.fit_transform(texts)
    except ValueError:  # nothing but stop words
        return []
    terms = vectoriser.get_feature_names_out()
    nonempty = np.asarray(matrix.getnnz(axis=1)).ravel() > 0
    rows = np.flatnonzero(nonempty)
    if len(rows) < 4:
        return []
    k = min(k or cluster_count(len(rows)), len(rows) // 2)
    progress(50, f"Grouping {len(rows)} answers into {k} groups")
    model = KMeans(n_clusters=k, n_init=4, random_state=0)
    labels = model.fit_predict(matrix[rows])
    progress(80, "Choosing key phrases and examples")
    found = []
    for cluster in range(k):
        members = rows[labels == cluster]
        if len(members) == 0:
            continue
        centre = model.cluster_centers_[cluster]
        top = [terms[i] for i in np.argsort(centre)[::-1][: phrases * 3] if centre[i] > 0]
        key = _prefer_phrases(top, phrases)
        distances = np.square(matrix[members].toarray() - centre).sum(axis=1)
        nearest = [int(members[i]) for i in np.argsort(distances)[:examples]]
        found.append(CandidateTheme(
            label=", ".join(key[:2]).capitalize() if key else "Other",
            key_phrases=key, size=int(len(members)), representatives=nearest,
        ))
    found.sort(key=lambda c: -c.size)
    return found


def _prefer_phrases(terms: list[str], count: int) -> list[str]:
    """Key phrases: word pairs first where they exist, and a single word only
    when no phrase already says it."""
    chosen: list[str] = []
    for term in terms:
        if any(term in other.split() for other in chosen if " " in other):
            continue
        if " " in term:
            chosen = [c for c in chosen if c not in term.split()]
        chosen.append(term)
        if len(chosen) >= count:
            break
    return chosen


# Suggested coding --------------------------------------------------------------


@dataclass
class Suggestion:
    index: int  # into the texts to code
    theme: str
    confidence: float


def trainable_themes(labels: Sequence[set[str]]) -> list[str]:
    counts: dict[str, int] = {}
    for themes in labels:
        for theme in themes:
            counts[theme] = counts.get(theme, 0) + 1
    return sorted(t for t, n in counts.items() if n >= MIN_EXAMPLES and n < len(labels))


def suggest_coding(
    coded_texts: Sequence[str], coded_labels: Sequence[set[str]], texts: Sequence[str], *,
    min_confidence: float = MIN_CONFIDENCE, progress: Progress = _no_progress,
) -> list[Suggestion]:
    """Themes for each of `texts`, learnt from answers already coded. Each
    theme with at least MIN_EXAMPLES coded answers gets its own classifier."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    themes = trainable_themes(coded_labels)
    if not themes or not texts:
        return []
    progress(20, f"Learning {len(themes)} themes from {len(coded_texts)} coded answers")
    everything = [t or "" for t in [*coded_texts, *texts]]
    # Fitted on every answer, coded or not: only word statistics are learnt
    # from the uncoded ones, never their themes.
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2)
    try:
        features = chars.fit_transform(everything).tocsr()
    except ValueError:  # no text at all
        return []
    train, rest = features[: len(coded_texts)], features[len(coded_texts):]
    suggestions: list[Suggestion] = []
    for number, theme in enumerate(themes):
        progress(20 + int(70 * number / len(themes)), f"Theme {number + 1} of {len(themes)}")
        y = np.array([theme in labels for labels in coded_labels], dtype=int)
        # liblinear: as accurate here as lbfgs, and twenty times faster on
        # a few hundred coded answers.
        model = LogisticRegression(C=REGULARISATION_C, class_weight="balanced",
                                   solver="liblinear", max_iter=2000)
        model.fit(train, y)
        probabilities = model.predict_proba(rest)[:, 1]
        for index in np.flatnonzero(probabilities >= min_confidence):
            suggestions.append(Suggestion(int(index), theme, round(float(probabilities[index]), 3)))
    return suggestions


# Measuring it ------------------------------------------------------------------


@dataclass
class Scores:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 0.0

    @property
    def recall(self) -> float:
        wanted = self.true_positive + self.false_negative
        return self.true_positive / wanted if wanted else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    coded: int
    predicted: int
    micro: Scores
    per_theme: dict[str, Scores]


def evaluate(
    texts: Sequence[str], labels: Sequence[set[str]], *, coded: int,
    threshold: float = SUGGEST_THRESHOLD,
) -> Evaluation:
    """Code the first `coded` answers by hand (their true themes), suggest
    themes for the rest and compare with their true themes. Every theme of
    the file counts, including those the first answers never show."""
    predicted = suggest_coding(
        texts[:coded], labels[:coded], texts[coded:], min_confidence=threshold
    )
    guessed: dict[int, set[str]] = {}
    for s in predicted:
        guessed.setdefault(s.index, set()).add(s.theme)
    all_themes = sorted({t for row in labels for t in row})
    per_theme = {t: Scores() for t in all_themes}
    micro = Scores()
    for index, truth in enumerate(labels[coded:]):
        guess = guessed.get(index, set())
        for theme in all_themes:
            scores = per_theme[theme]
            if theme in guess and theme in truth:
                scores.true_positive += 1
                micro.true_positive += 1
            elif theme in guess:
                scores.false_positive += 1
                micro.false_positive += 1
            elif theme in truth:
                scores.false_negative += 1
                micro.false_negative += 1
    return Evaluation(coded=coded, predicted=len(texts) - coded, micro=micro,
                      per_theme=per_theme)
