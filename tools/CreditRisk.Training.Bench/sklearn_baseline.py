"""scikit-learn's reference models on the bench's file and folds, for a side-by-side with ML.NET.

Usage: sklearn_baseline.py CSV LABEL POSITIVE FOLDS_FILE
FOLDS_FILE holds the test fold of each data row, one integer per line, as the bench assigned them
(CreditRisk.Modeling's StratifiedFolds), so both sides are scored on the same splits.
Prints one JSON object: {"sklearn": VERSION, "models": [{"name", "cv_roc_auc", "seconds"}]}.
"""
import csv
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import PredefinedSplit, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler


def is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def read(path, label, positive):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, rows = [name.strip() for name in rows[0]], rows[1:]
    target = header.index(label)
    y = np.array([row[target].strip() == positive for row in rows], dtype=int)
    numeric, categorical = [], []
    for c, name in enumerate(header):
        if c == target:
            continue
        present = [row[c].strip() for row in rows if row[c].strip()]
        if not present:
            continue
        (numeric if all(is_number(v) for v in present) else categorical).append(c)
    # Inferred as the library does: numeric when every non-empty value parses, empty = missing.
    x_num = np.array([[float(row[c]) if row[c].strip() else np.nan for c in numeric] for row in rows], dtype=float)
    x_cat = np.array([[row[c].strip() if row[c].strip() else np.nan for c in categorical] for row in rows], dtype=object)
    return x_num, x_cat, y


def main():
    path, label, positive, folds_path = sys.argv[1:5]
    x_num, x_cat, y = read(path, label, positive)
    with open(folds_path, encoding="utf-8") as f:
        folds = np.array([int(line) for line in f if line.strip()])
    if len(folds) != len(y):
        raise SystemExit(f"{folds_path}: {len(folds)} folds for {len(y)} rows")
    x = np.empty((len(y), x_num.shape[1] + x_cat.shape[1]), dtype=object)
    x[:, : x_num.shape[1]] = x_num
    x[:, x_num.shape[1]:] = x_cat
    numeric = list(range(x_num.shape[1]))
    categorical = list(range(x_num.shape[1], x.shape[1]))
    split = PredefinedSplit(folds)

    # Categories first as ordinals (missing stays NaN), so the booster treats them natively.
    boosting = make_pipeline(
        ColumnTransformer([
            ("categorical", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan), categorical),
            ("numeric", "passthrough", numeric),
        ]),
        HistGradientBoostingClassifier(
            max_iter=200, learning_rate=0.05, random_state=42,
            categorical_features=list(range(len(categorical)))),
    )
    logistic = make_pipeline(
        ColumnTransformer([
            ("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
            ("categorical", make_pipeline(
                SimpleImputer(strategy="constant", fill_value="missing"),
                OneHotEncoder(handle_unknown="ignore")), categorical),
        ]),
        LogisticRegression(max_iter=1000),
    )

    models = []
    for name, model in [("hist-gradient-boosting", boosting), ("logistic-regression", logistic)]:
        started = time.perf_counter()
        scores = cross_val_score(model, x, y, cv=split, scoring="roc_auc")
        models.append({"name": name, "cv_roc_auc": float(scores.mean()), "seconds": time.perf_counter() - started})
    print(json.dumps({"sklearn": sklearn.__version__, "models": models}))


if __name__ == "__main__":
    main()
