"""An Open Inference Protocol (KServe V2) client as a Python team would write one, for scoring's integration test.

Debian's python3-grpcio, with the message classes and the GRPCInferenceServiceStub that python3-grpc-tools generated
from protos/inference/open_inference.proto (the caller runs `python3 -m grpc_tools.protoc --python_out --grpc_python_out`
into a folder and passes it as --generated). Every call carries the API key in the metadata the request file names
(x-api-key). It makes the calls the request file asks for and prints what came back as one JSON object; the C# test
holds the expected values.

Usage: python3 oip_client.py --generated DIR --request request.json
request.json: {"address": "127.0.0.1:N", "api_key_header": "x-api-key", "api_key": "...", "model_name": "...",
               "inputs": [{"name": "...", "datatype": "FP64" | "BYTES", "values": [number | text | null, ...]}],
               "missing_input": "name of an input to leave out of one more ModelInfer"}
A null value is a missing one: NaN for FP64, empty text for BYTES.
"""
import argparse
import json
import math
import struct
import sys

import grpc
import google.protobuf
from google.protobuf.internal import api_implementation

TIMEOUT_SECONDS = 30


def typed_tensor(messages, tensor, rows):
    """An input tensor [rows, 1] with its values in the typed contents field of its datatype."""
    built = messages.ModelInferRequest.InferInputTensor(name=tensor["name"], datatype=tensor["datatype"], shape=[rows, 1])
    if tensor["datatype"] == "BYTES":
        built.contents.bytes_contents.extend((value or "").encode("utf-8") for value in tensor["values"])
    else:
        built.contents.fp64_contents.extend(math.nan if value is None else float(value) for value in tensor["values"])
    return built


def raw_bytes(tensor):
    """The tensor's values as the protocol lays them out in raw_input_contents: little-endian, BYTES length-prefixed."""
    if tensor["datatype"] == "BYTES":
        encoded = [(value or "").encode("utf-8") for value in tensor["values"]]
        return b"".join(struct.pack("<I", len(text)) + text for text in encoded)
    return b"".join(struct.pack("<d", math.nan if value is None else float(value)) for value in tensor["values"])


def outputs(response):
    return [{"name": output.name, "datatype": output.datatype, "shape": list(output.shape),
             "has_contents": output.HasField("contents"), "fp64_contents": list(output.contents.fp64_contents)}
            for output in response.outputs]


def refusal(call):
    """The status of a call that must fail, or what it answered if it did not."""
    try:
        call()
    except grpc.RpcError as error:
        return {"code": error.code().name, "details": error.details()}
    return {"code": "OK", "details": ""}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--generated", required=True)
    parser.add_argument("--request", required=True)
    arguments = parser.parse_args()
    sys.path.insert(0, arguments.generated)
    from inference import open_inference_pb2 as messages
    from inference import open_inference_pb2_grpc as services

    with open(arguments.request, encoding="utf-8") as handle:
        request = json.load(handle)
    inputs = request["inputs"]
    rows = len(inputs[0]["values"])
    model = request["model_name"]
    key = ((request["api_key_header"], request["api_key"]),)

    with grpc.insecure_channel(request["address"]) as channel:
        grpc.channel_ready_future(channel).result(timeout=TIMEOUT_SECONDS)
        stub = services.GRPCInferenceServiceStub(channel)
        call = lambda method, message: method(message, metadata=key, timeout=TIMEOUT_SECONDS)

        metadata = call(stub.ModelMetadata, messages.ModelMetadataRequest(name=model))
        server = call(stub.ServerMetadata, messages.ServerMetadataRequest())

        contents = call(stub.ModelInfer, messages.ModelInferRequest(
            model_name=model, id="python-contents", inputs=[typed_tensor(messages, tensor, rows) for tensor in inputs]))

        raw_request = messages.ModelInferRequest(model_name=model, model_version="1", id="python-raw")
        for tensor in inputs:
            raw_request.inputs.add(name=tensor["name"], datatype=tensor["datatype"], shape=[rows])
            raw_request.raw_input_contents.append(raw_bytes(tensor))
        raw = call(stub.ModelInfer, raw_request)
        raw_probabilities = [value for (value,) in struct.iter_unpack("<d", raw.raw_output_contents[0])] if raw.raw_output_contents else []

        missing = messages.ModelInferRequest(model_name=model, inputs=[
            typed_tensor(messages, tensor, rows) for tensor in inputs if tensor["name"] != request["missing_input"]])

        result = {
            "runtime": {"grpc": grpc.__version__, "protobuf": google.protobuf.__version__, "implementation": api_implementation.Type()},
            "server_live": call(stub.ServerLive, messages.ServerLiveRequest()).live,
            "server_ready": call(stub.ServerReady, messages.ServerReadyRequest()).ready,
            "model_ready": call(stub.ModelReady, messages.ModelReadyRequest(name=model)).ready,
            "server_metadata": {"name": server.name, "version": server.version, "extensions": list(server.extensions)},
            "model_metadata": {
                "name": metadata.name, "versions": list(metadata.versions), "platform": metadata.platform,
                "inputs": [{"name": t.name, "datatype": t.datatype, "shape": list(t.shape)} for t in metadata.inputs],
                "outputs": [{"name": t.name, "datatype": t.datatype, "shape": list(t.shape)} for t in metadata.outputs],
            },
            "infer_contents": {"model_name": contents.model_name, "model_version": contents.model_version, "id": contents.id,
                               "outputs": outputs(contents)},
            "infer_raw": {"model_version": raw.model_version, "id": raw.id, "outputs": outputs(raw),
                          "raw_output_count": len(raw.raw_output_contents), "probabilities": raw_probabilities},
            "missing_input": refusal(lambda: call(stub.ModelInfer, missing)),
            "without_key": refusal(lambda: stub.ServerReady(messages.ServerReadyRequest(), timeout=TIMEOUT_SECONDS)),
        }
    # allow_nan=False: a NaN probability fails here rather than printing JSON the test cannot read.
    print(json.dumps(result, allow_nan=False), flush=True)


if __name__ == "__main__":
    sys.exit(main())
