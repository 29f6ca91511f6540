"""Issue 7 peer: a small CNN with a residual add, trained briefly in PyTorch and exported to ONNX, for Shear's
ONNX import round trip (import, prune, fine-tune, export, run in ONNX Runtime).

Writes tests/fixtures/peers/residual_cnn.onnx and residual_cnn.json: the logits PyTorch computes for a
deterministic input that the test rebuilds (x[n, 0, i, j] = sin(0.01 * (n * 784 + i * 28 + j))), and PyTorch's
test accuracy. Run with Debian's PyTorch: /usr/bin/python3 peers/onnx_residual_export.py
"""
import gzip
import json
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = "/usr/share/datasets/fashion-mnist"
OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "peers")


def idx(name):
    with gzip.open(os.path.join(DATA, name)) as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


class Residual(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 8, 3, padding=1, bias=False)
        self.stem_bn = nn.BatchNorm2d(8)
        self.conv1 = nn.Conv2d(8, 8, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(8)
        self.down = nn.Conv2d(8, 16, 3, stride=2, padding=1)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = F.relu(self.stem_bn(self.stem(x)))
        y = F.relu(self.bn1(self.conv1(x)))
        x = F.relu(x + self.bn2(self.conv2(y)))
        x = F.max_pool2d(x, 2)
        x = F.relu(self.down(x))
        x = F.adaptive_avg_pool2d(x, 1)
        return self.fc(torch.flatten(x, 1))


def main():
    torch.manual_seed(0)
    mean, std = 0.2860, 0.3530
    train_x = (torch.from_numpy(idx("train-images-idx3-ubyte.gz").copy()).float() / 255 - mean) / std
    train_y = torch.from_numpy(idx("train-labels-idx1-ubyte.gz").astype(np.int64))
    test_x = (torch.from_numpy(idx("t10k-images-idx3-ubyte.gz").copy()).float() / 255 - mean) / std
    test_y = torch.from_numpy(idx("t10k-labels-idx1-ubyte.gz").astype(np.int64))
    model = Residual()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    order = torch.randperm(len(train_x))
    model.train()
    for step in range(300):
        batch = order[step * 128:(step + 1) * 128]
        loss = F.cross_entropy(model(train_x[batch].unsqueeze(1)), train_y[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        accuracy = sum((model(test_x[i:i + 1000].unsqueeze(1)).argmax(1) == test_y[i:i + 1000]).sum().item()
                       for i in range(0, len(test_x), 1000)) / len(test_x)
        n = torch.arange(4 * 784, dtype=torch.float64)
        probe = torch.sin(0.01 * n).float().reshape(4, 1, 28, 28)
        logits = model(probe)
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "residual_cnn.onnx")
    torch.onnx.export(model, probe, path, opset_version=13, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    with open(os.path.join(OUT, "residual_cnn.json"), "w") as f:
        json.dump({"torch": torch.__version__, "testAccuracy": accuracy, "probeLogits": logits.tolist(),
                   "mean": mean, "std": std}, f, indent=1)
    print(f"test accuracy {accuracy:.4f}; wrote {path}")


if __name__ == "__main__":
    main()
