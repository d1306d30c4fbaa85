"""A minimal Python gRPC scorer, the benchmark's baseline (never in the product's path).

What a team would run behind MLServer: scikit-learn's HistGradientBoostingClassifier trained at start-up on
credit_data's application fields, serving creditrisk.scoring.v1.ScoringService/Score with Debian's python3-grpcio.
The message classes come from a descriptor set protoc wrote (protoc's --python_out needs a newer protobuf runtime than
Debian ships), and the handler is registered with grpc.method_handlers_generic_handler, so no grpc plugin is needed.

Usage: python3 scoring_baseline.py --port N --csv credit_data.csv --descriptors scoring.pb
Prints "ready <port>" once it serves.
"""
import argparse
import csv
import sys
import uuid
from concurrent import futures

import grpc
import numpy as np
from google.protobuf import descriptor_pb2, message_factory
from sklearn.ensemble import HistGradientBoostingClassifier

NUMERIC = ["Seniority", "Time", "Age", "Expenses", "Income", "Assets", "Debt", "Amount", "Price"]
CATEGORIES = {
    "Home": ["rent", "owner", "priv", "ignore", "parents", "other"],
    "Marital": ["single", "married", "widow", "separated", "divorced"],
    "Job": ["fixed", "freelance", "partime", "others"],
    "Records": ["no", "yes"],
}
COLUMNS = NUMERIC + list(CATEGORIES)
APPROVE_BELOW, DECLINE_FROM = 0.2, 0.5


def load_messages(descriptor_set_path):
    files = descriptor_pb2.FileDescriptorSet()
    with open(descriptor_set_path, "rb") as handle:
        files.ParseFromString(handle.read())
    return message_factory.GetMessages(list(files.file))


def category_code(column, value):
    value = (value or "").strip().lower()
    return float(CATEGORIES[column].index(value)) if value in CATEGORIES[column] else np.nan


def number(value):
    value = (value or "").strip()
    return float(value) if value else np.nan


def train(csv_path):
    rows, labels = [], []
    with open(csv_path, newline="") as handle:
        for record in csv.DictReader(handle):
            rows.append([number(record[c]) for c in NUMERIC] + [category_code(c, record[c]) for c in CATEGORIES])
            labels.append(1 if record["Status"].strip().lower() == "bad" else 0)
    categorical = [column in CATEGORIES for column in COLUMNS]
    model = HistGradientBoostingClassifier(categorical_features=categorical, random_state=42)
    return model.fit(np.array(rows), np.array(labels))


# The contract's enums in CATEGORIES' order (0 = unspecified = missing).
HOME = {1: "rent", 2: "owner", 3: "priv", 4: "ignore", 5: "parents", 6: "other"}
MARITAL = {1: "single", 2: "married", 3: "widow", 4: "separated", 5: "divorced"}
JOB = {1: "fixed", 2: "freelance", 3: "partime", 4: "others"}


def features(application):
    optional = lambda name: getattr(application, name) if application.HasField(name) else np.nan
    return [
        application.seniority_years, application.term_months, application.age_years, application.expenses,
        optional("income"), optional("assets"), optional("debt"), application.amount, application.price,
        category_code("Home", HOME.get(application.home)), category_code("Marital", MARITAL.get(application.marital)),
        category_code("Job", JOB.get(application.job)), 1.0 if application.has_prior_default_records else 0.0,
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--csv", required=True)
    parser.add_argument("--descriptors", required=True)
    parser.add_argument("--threads", type=int, default=8)
    arguments = parser.parse_args()

    messages = load_messages(arguments.descriptors)
    request_type = messages["creditrisk.scoring.v1.ScoreRequest"]
    response_type = messages["creditrisk.scoring.v1.ScoreResponse"]
    model = train(arguments.csv)

    def score(request, context):
        probability = float(model.predict_proba(np.array([features(request.application)]))[0, 1])
        decision = 1 if probability < APPROVE_BELOW else (3 if probability >= DECLINE_FROM else 2)
        return response_type(
            request_id=request.request_id, prediction_id=str(uuid.uuid4()), default_probability=probability,
            decision=decision, model_name="sklearn-hist-gradient-boosting", model_version=1, arm="baseline")

    handler = grpc.method_handlers_generic_handler("creditrisk.scoring.v1.ScoringService", {
        "Score": grpc.unary_unary_rpc_method_handler(
            score, request_deserializer=request_type.FromString, response_serializer=response_type.SerializeToString),
    })
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=arguments.threads))
    server.add_generic_rpc_handlers((handler,))
    server.add_insecure_port(f"127.0.0.1:{arguments.port}")
    server.start()
    print(f"ready {arguments.port}", flush=True)
    server.wait_for_termination()


if __name__ == "__main__":
    sys.exit(main())
