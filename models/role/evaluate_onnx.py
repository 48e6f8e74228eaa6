"""Evaluates an exported role model (role.onnx, as train_role_cnn.py writes it) on the val and
test splits of a role data folder (build_role_data.py), with the same report as the training
script, plus the GM phrases and song stems alone. For comparing a shipped model with a candidate
on the same rebuilt data when the shipped model's checkpoint is gone. Runs the graph with torch
(the few ops torch.onnx writes for RoleCnn/Pooled), so it needs no ONNX Runtime for Python.

Usage: python3 models/role/evaluate_onnx.py MODEL.onnx DATA_DIR OUT.json [--val-only]
"""

import json
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, ".."))
import train_role_cnn as T  # noqa: E402


def run(model, x):
    """The graph's output for input x (a torch tensor)."""
    g = model.graph
    env = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in g.initializer}
    env[g.input[0].name] = x
    for n in g.node:
        a = {at.name: onnx.helper.get_attribute_value(at) for at in n.attribute}
        i = [env[k] if k else None for k in n.input]
        op = n.op_type
        if op == "Constant":
            y = torch.from_numpy(numpy_helper.to_array(a["value"]).copy())
        elif op == "Conv":
            p = a.get("pads", [0, 0, 0, 0])
            y = F.conv2d(i[0], i[1], i[2] if len(i) > 2 else None, stride=a.get("strides", 1), padding=(p[0], p[1]))
        elif op == "Relu":
            y = F.relu(i[0])
        elif op == "MaxPool":
            y = F.max_pool2d(i[0], a["kernel_shape"], a.get("strides"))
        elif op == "ReduceMean":
            y = i[0].mean(dim=a["axes"], keepdim=bool(a.get("keepdims", 1)))
        elif op == "ReduceMax":
            y = i[0].amax(dim=a["axes"], keepdim=bool(a.get("keepdims", 1)))
        elif op == "Concat":
            y = torch.cat(i, dim=a["axis"])
        elif op == "Flatten":
            y = i[0].flatten(a.get("axis", 1))
        elif op == "Gemm":
            y = (i[0] @ (i[1].T if a.get("transB", 0) else i[1])) * a.get("alpha", 1.0) + a.get("beta", 1.0) * i[2]
        elif op == "LogSoftmax":
            y = torch.log_softmax(i[0], dim=a.get("axis", -1))
        elif op == "Softmax":
            y = torch.softmax(i[0], dim=a.get("axis", -1))
        elif op == "Div":
            y = i[0] / i[1]
        else:
            raise NotImplementedError(op)
        env[n.output[0]] = y
    return env[g.output[0].name]


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    onnx_path, data, out_path = sys.argv[1:4]
    splits = [(1, "val")] if "--val-only" in sys.argv else [(1, "val"), (2, "test")]
    model = onnx.load(onnx_path)
    d = np.load(os.path.join(data, "patches.npz"))
    X, y, split = d["X"], d["y"], d["split"]
    meta = json.load(open(os.path.join(data, "meta.json")))["clips"]
    out = {}
    with torch.no_grad():
        for s, name in splits:
            idx = np.where(split == s)[0]
            p = np.concatenate([run(model, torch.from_numpy(X[k][:, None].astype(np.float32))).numpy() for k in idx])
            out[name] = T.report(p, y[idx], idx, meta)
            out[name + "_ece"] = T.ece(p, y[idx])
            for kind in ("phrase", "song-stem"):
                sel = np.array([meta[k]["kind"] == kind for k in idx])
                out[name + "_" + kind] = T.report(p[sel], y[idx][sel], idx[sel], meta)
    json.dump(out, open(out_path, "w"), indent=1)
    for _, name in splits:
        r = out[name]
        print(f"{name}: top-1 {100 * r['accuracy']:.1f} % of {r['clips']}, core {100 * r['core_accuracy']:.1f} %; recall "
              + ", ".join(f"{k} {100 * v:.0f} %" for k, v in r["recall"].items() if v is not None))


if __name__ == "__main__":
    main()
