"""Issue 20 peer: the CNNs users bring, built by torchvision and exported by PyTorch's own ONNX exporter, for Shear's
import tests (import, logits, structured pruning, compaction, export, ONNX Runtime).

Writes tests/fixtures/peers/torchvision/<model>-opset<N>.onnx for resnet18, mobilenet_v2, mobilenet_v3_small,
squeezenet1_1 and efficientnet_b0 at opsets 13 and 17, and torchvision.json: for each file the input shape and the
logits PyTorch computes for a deterministic input that the tests rebuild
(x[n, c, i, j] = sin(0.01 * flat index) over [2, 3, 64, 64]).

Random weights (seeded), batch-norm statistics made non-trivial (running mean and variance drawn, not 0 and 1), eval
mode, 10 classes, 3x64x64 inputs. Widths are reduced where the full model would make a large file (the operators and
the block structure are the same; the README of peers/ lists the widths). Run with Debian's PyTorch 1.13 and
torchvision 0.14: /usr/bin/python3 peers/torchvision_onnx_export.py
"""
import json
import math
import os
from functools import partial

import torch
import torch.nn as nn
import torchvision
from torchvision.models import efficientnet as tv_efficientnet
from torchvision.models import mobilenetv3 as tv_mobilenetv3
from torchvision.models import resnet as tv_resnet

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "peers", "torchvision")
CLASSES = 10
SHAPE = (2, 3, 64, 64)
OPSETS = (13, 17)


class NarrowResNet18(tv_resnet.ResNet):
    """torchvision's ResNet-18 (BasicBlock, [2, 2, 2, 2]) at 1/8 of its widths: 8, 16, 32 and 64 channels."""

    def __init__(self):
        super().__init__(tv_resnet.BasicBlock, [2, 2, 2, 2], num_classes=CLASSES)
        # Rebuild the layers narrower with torchvision's own constructor pieces.
        self.inplanes = 8
        self.conv1 = nn.Conv2d(3, 8, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.layer1 = self._make_layer(tv_resnet.BasicBlock, 8, 2)
        self.layer2 = self._make_layer(tv_resnet.BasicBlock, 16, 2, stride=2)
        self.layer3 = self._make_layer(tv_resnet.BasicBlock, 32, 2, stride=2)
        self.layer4 = self._make_layer(tv_resnet.BasicBlock, 64, 2, stride=2)
        self.fc = nn.Linear(64, CLASSES)


def models():
    v3_settings, v3_last = tv_mobilenetv3._mobilenet_v3_conf("mobilenet_v3_small", width_mult=0.5, reduced_tail=True)
    b0_settings, b0_last = tv_efficientnet._efficientnet_conf("efficientnet_b0", width_mult=0.25, depth_mult=0.5)
    return {
        "resnet18": (NarrowResNet18, "ResNet-18 at 1/8 width (8-64 channels)"),
        "mobilenet_v2": (partial(torchvision.models.mobilenet_v2, num_classes=CLASSES, width_mult=0.35), "width_mult 0.35"),
        "mobilenet_v3_small": (partial(tv_mobilenetv3.MobileNetV3, v3_settings, v3_last, num_classes=CLASSES),
                               "width_mult 0.5, reduced tail"),
        "squeezenet1_1": (partial(torchvision.models.squeezenet1_1, num_classes=CLASSES), "full width"),
        "efficientnet_b0": (partial(tv_efficientnet.EfficientNet, b0_settings, 0.2, last_channel=b0_last, num_classes=CLASSES),
                            "width_mult 0.25, depth_mult 0.5"),
    }


def randomise_norms(model, generator):
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            with torch.no_grad():
                module.running_mean.copy_(torch.randn(module.num_features, generator=generator) * 0.1)
                module.running_var.copy_(torch.rand(module.num_features, generator=generator) * 0.5 + 0.75)
                module.weight.copy_(torch.rand(module.num_features, generator=generator) * 0.5 + 0.75)
                module.bias.copy_(torch.randn(module.num_features, generator=generator) * 0.1)


def deterministic_input():
    count = math.prod(SHAPE)
    return torch.sin(0.01 * torch.arange(count, dtype=torch.float64)).float().reshape(SHAPE)


def main():
    os.makedirs(OUT, exist_ok=True)
    x = deterministic_input()
    fixture = {"input": list(SHAPE), "formula": "sin(0.01 * flat index)", "torch": torch.__version__,
               "torchvision": torchvision.__version__, "models": {}}
    for name, (build, note) in models().items():
        torch.manual_seed(0)
        generator = torch.Generator().manual_seed(1)
        model = build()
        randomise_norms(model, generator)
        model.eval()
        with torch.no_grad():
            logits = model(x)
        parameters = sum(p.numel() for p in model.parameters())
        for opset in OPSETS:
            path = os.path.join(OUT, f"{name}-opset{opset}.onnx")
            torch.onnx.export(model, x, path, opset_version=opset, input_names=["input"], output_names=["logits"],
                              dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
            fixture["models"][f"{name}-opset{opset}"] = {
                "model": name, "opset": opset, "note": note, "parameters": parameters,
                "bytes": os.path.getsize(path), "logits": logits.tolist()}
            print(f"{name:20s} opset {opset}: {parameters:9,d} parameters, {os.path.getsize(path) / 1e6:.2f} MB")
    with open(os.path.join(OUT, "torchvision.json"), "w") as f:
        json.dump(fixture, f, indent=1)


if __name__ == "__main__":
    main()
