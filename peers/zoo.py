"""PyTorch twins of Shear's model zoo (docs/zoo.md), for side-by-side checks run by hand.

`build(key, channels, size, classes, stem='auto')` returns a module whose state_dict keys, parameter counts and
output shapes match the TorchSharp models that src/Shear.Core/Models builds from the same description.
`count_macs(model, channels, size)` counts multiply-accumulates with docs/zoo.md's rule.

Shapes are tracked while building, as Shear's GraphBuilder does, so a max-pool that would shrink a spatial side
below 1 is simply not created (that is how VGG and Conv-6 run on 28x28 images).
"""

import torch
from torch import nn
import torch.nn.functional as F

KEYS = ("mlp", "lenet5", "conv2", "conv4", "conv6", "vgg11", "vgg13", "vgg16", "vgg19",
        "resnet20", "resnet32", "resnet56", "resnet110", "resnet18", "resnet34", "resnet50",
        "mobilenetv2", "mobilenetv3-small", "efficientnet-b0")

# The MobileNets are torchvision's own classes; their 'cifar' stem sets the first two stride-2 layers to stride 1.
MOBILENETS = ("mobilenetv2", "mobilenetv3-small", "efficientnet-b0")

# The ResNet-18/34/50 stem is 'imagenet' from this image side up when stem='auto' (docs/zoo.md: "default below 64 px").
IMAGENET_STEM_MIN_SIDE = 64

POOL = "M"
VGG_CONFIGS = {
    "vgg11": [64, POOL, 128, POOL, 256, 256, POOL, 512, 512, POOL, 512, 512, POOL],
    "vgg13": [64, 64, POOL, 128, 128, POOL, 256, 256, POOL, 512, 512, POOL, 512, 512, POOL],
    "vgg16": [64, 64, POOL, 128, 128, POOL, 256, 256, 256, POOL, 512, 512, 512, POOL, 512, 512, 512, POOL],
    "vgg19": [64, 64, POOL, 128, 128, POOL, 256, 256, 256, 256, POOL,
              512, 512, 512, 512, POOL, 512, 512, 512, 512, POOL],
}
CONV_PAIRS = {"conv2": 1, "conv4": 2, "conv6": 3}
CONV_PAIR_WIDTHS = [64, 128, 256]
CIFAR_RESNET_BLOCKS = {"resnet20": 3, "resnet32": 5, "resnet56": 9, "resnet110": 18}
RESNET_LAYOUTS = {"resnet18": ([2, 2, 2, 2], False), "resnet34": ([3, 4, 6, 3], False),
                  "resnet50": ([3, 4, 6, 3], True)}


def _pair(size):
    """An int side or an (h, w) pair, as (h, w)."""
    return (size, size) if isinstance(size, int) else (int(size[0]), int(size[1]))


def _pooled(hw, kernel, stride, padding=0):
    """Spatial size after a max-pool, or None when docs/zoo.md leaves the pool out (a side would drop below 1)."""
    h, w = hw
    if h + 2 * padding < kernel or w + 2 * padding < kernel:
        return None
    return ((h + 2 * padding - kernel) // stride + 1, (w + 2 * padding - kernel) // stride + 1)


def _conv_out(hw, kernel, stride=1, padding=0):
    return tuple((side + 2 * padding - kernel) // stride + 1 for side in hw)


class Mlp(nn.Module):
    """flatten -> fc1 .. fcN with ReLU between; LeNet-300-100 by default."""

    def __init__(self, inputs, classes, widths=(300, 100)):
        super().__init__()
        sizes = [inputs, *widths, classes]
        for i in range(len(sizes) - 1):
            self.add_module(f"fc{i + 1}", nn.Linear(sizes[i], sizes[i + 1]))
        self.depth = len(sizes) - 1

    def forward(self, x):
        x = torch.flatten(x, 1)                                 # [N, C*H*W]
        for i in range(1, self.depth + 1):
            x = getattr(self, f"fc{i}")(x)
            x = F.relu(x) if i < self.depth else x
        return x


class LeNet5(nn.Module):
    """conv1 (5x5, pad 2) + pool, conv2 (5x5) + pool, fc1 120, fc2 84, fc3 classes."""

    def __init__(self, channels, hw, classes):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, 6, 5, padding=2)
        self.pool1 = _pooled(hw, 2, 2)
        hw = self.pool1 or hw
        self.conv2 = nn.Conv2d(6, 16, 5)
        hw = _conv_out(hw, 5)
        self.pool2 = _pooled(hw, 2, 2)
        hw = self.pool2 or hw
        self.fc1 = nn.Linear(16 * hw[0] * hw[1], 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, classes)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.max_pool2d(x, 2, 2) if self.pool1 else x
        x = F.relu(self.conv2(x))
        x = F.max_pool2d(x, 2, 2) if self.pool2 else x
        x = torch.flatten(x, 1)                                 # [N, 16*h*w]
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


class ConvNet(nn.Module):
    """Frankle & Carbin's Conv-2/4/6: pairs of conv3+bias with ReLU, a max-pool after each pair, three linears."""

    def __init__(self, channels, hw, classes, pairs):
        super().__init__()
        self.features = nn.ModuleList()
        self.pools = []                                         # per pair: pool it or not
        for width in CONV_PAIR_WIDTHS[:pairs]:
            self.features.append(nn.Conv2d(channels, width, 3, padding=1))
            self.features.append(nn.Conv2d(width, width, 3, padding=1))
            channels = width
            pooled = _pooled(hw, 2, 2)
            self.pools.append(pooled is not None)
            hw = pooled or hw
        self.fc1 = nn.Linear(channels * hw[0] * hw[1], 256)
        self.fc2 = nn.Linear(256, 256)
        self.fc3 = nn.Linear(256, classes)

    def forward(self, x):
        for pair, pool in enumerate(self.pools):
            x = F.relu(self.features[2 * pair](x))
            x = F.relu(self.features[2 * pair + 1](x))
            x = F.max_pool2d(x, 2, 2) if pool else x
        x = torch.flatten(x, 1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


class ConvBn(nn.Module):
    """conv3 (no bias) + BN; ReLU is applied by the owner. Named `conv`/`bn` as in `features.N.conv`."""

    def __init__(self, inputs, outputs):
        super().__init__()
        self.conv = nn.Conv2d(inputs, outputs, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(outputs)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


class Vgg(nn.Module):
    """CIFAR-style VGG with BN, global average pooling and one `classifier` linear."""

    def __init__(self, channels, hw, classes, config):
        super().__init__()
        self.features = nn.ModuleList()
        self.plan = []                                          # ('conv', index) or ('pool', None), pools kept only
        for item in config:
            if item == POOL:
                pooled = _pooled(hw, 2, 2)
                if pooled is not None:
                    self.plan.append(("pool", None))
                    hw = pooled
                continue
            self.plan.append(("conv", len(self.features)))
            self.features.append(ConvBn(channels, item))
            channels = item
        self.classifier = nn.Linear(channels, classes)

    def forward(self, x):
        for kind, index in self.plan:
            x = self.features[index](x) if kind == "conv" else F.max_pool2d(x, 2, 2)
        x = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)       # [N, 512]
        return self.classifier(x)


def _shortcut(inputs, outputs, stride):
    """Option B: a strided 1x1 projection + BN when the shape changes, else None (identity)."""
    if stride == 1 and inputs == outputs:
        return None
    return nn.Sequential(nn.Conv2d(inputs, outputs, 1, stride=stride, bias=False), nn.BatchNorm2d(outputs))


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, inputs, width, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inputs, width, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.downsample = _shortcut(inputs, width, stride)

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + (x if self.downsample is None else self.downsample(x)))


class Bottleneck(nn.Module):
    """torchvision's v1.5 bottleneck: the stride sits on the 3x3."""
    expansion = 4

    def __init__(self, inputs, width, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inputs, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, width * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(width * 4)
        self.downsample = _shortcut(inputs, width * 4, stride)

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = F.relu(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        return F.relu(y + (x if self.downsample is None else self.downsample(x)))


class ResNet(nn.Module):
    """Stem, stages layer1..layerK of residual blocks (first block of stages 2+ strided), GAP, `fc`.

    Serves both He et al.'s CIFAR ResNets (widths 16/32/64, 3x3 stem) and the torchvision layout (widths
    64..512, CIFAR or ImageNet stem).
    """

    def __init__(self, channels, hw, classes, block, blocks, widths, stem):
        super().__init__()
        self.conv1 = (nn.Conv2d(channels, widths[0], 7, stride=2, padding=3, bias=False) if stem == "imagenet"
                      else nn.Conv2d(channels, widths[0], 3, padding=1, bias=False))
        self.bn1 = nn.BatchNorm2d(widths[0])
        self.stem_pool = False
        if stem == "imagenet":
            self.stem_pool = _pooled(_conv_out(hw, 7, 2, 3), 3, 2, 1) is not None
        inputs = widths[0]
        for stage, (count, width) in enumerate(zip(blocks, widths)):
            layer = []
            for index in range(count):
                stride = 2 if stage > 0 and index == 0 else 1
                layer.append(block(inputs, width, stride))
                inputs = width * block.expansion
            self.add_module(f"layer{stage + 1}", nn.Sequential(*layer))
        self.stages = len(blocks)
        self.fc = nn.Linear(inputs, classes)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.max_pool2d(x, 3, 2, 1) if self.stem_pool else x
        for stage in range(1, self.stages + 1):
            x = getattr(self, f"layer{stage}")(x)
        x = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)       # [N, widths[-1] * expansion]
        return self.fc(x)


def resolve_stem(key, size, stem="auto"):
    """The stem a torchvision-layout ResNet gets ('cifar' or 'imagenet'); None for models without a choice."""
    if key not in RESNET_LAYOUTS and key not in MOBILENETS:
        return None
    if stem == "auto":
        return "imagenet" if _pair(size)[0] >= IMAGENET_STEM_MIN_SIDE else "cifar"
    if stem not in ("cifar", "imagenet"):
        raise ValueError(f"unknown stem '{stem}' (auto, cifar, imagenet)")
    return stem


def build(key, channels, size, classes, stem="auto", widths=(300, 100)):
    """The zoo model `key` for images [channels, size, size] (or size=(h, w)) and `classes` outputs."""
    hw = _pair(size)
    if key == "mlp":
        return Mlp(channels * hw[0] * hw[1], classes, widths)
    if key == "lenet5":
        return LeNet5(channels, hw, classes)
    if key in CONV_PAIRS:
        return ConvNet(channels, hw, classes, CONV_PAIRS[key])
    if key in VGG_CONFIGS:
        return Vgg(channels, hw, classes, VGG_CONFIGS[key])
    if key in CIFAR_RESNET_BLOCKS:
        n = CIFAR_RESNET_BLOCKS[key]
        return ResNet(channels, hw, classes, BasicBlock, [n, n, n], [16, 32, 64], "cifar")
    if key in RESNET_LAYOUTS:
        blocks, bottleneck = RESNET_LAYOUTS[key]
        block = Bottleneck if bottleneck else BasicBlock
        return ResNet(channels, hw, classes, block, blocks, [64, 128, 256, 512], resolve_stem(key, size, stem))
    if key in MOBILENETS:
        return mobilenet(key, channels, classes, resolve_stem(key, size, stem))
    raise ValueError(f"unknown model '{key}'; known: {', '.join(KEYS)}")


def mobilenet(key, channels, classes, stem):
    """torchvision's MobileNetV2 / MobileNetV3-Small / EfficientNet-B0; the 'cifar' stem runs the stem conv and the first stride-2
    block's depthwise conv at stride 1, and a one-channel input gets a one-channel stem conv (same names)."""
    import torchvision
    if key == "mobilenetv2":
        model = torchvision.models.mobilenet_v2(num_classes=classes)
        first_strided = model.features[2].conv[1][0]
    elif key == "mobilenetv3-small":
        model = torchvision.models.mobilenet_v3_small(num_classes=classes)
        first_strided = model.features[1].block[0][0]
    else:
        model = torchvision.models.efficientnet_b0(num_classes=classes)
        first_strided = model.features[2][0].block[1][0]
    stem_conv = model.features[0][0]
    if channels != stem_conv.in_channels:
        model.features[0][0] = stem_conv = nn.Conv2d(channels, stem_conv.out_channels, 3, stem_conv.stride, 1, bias=False)
    if stem == "cifar":
        stem_conv.stride = (1, 1)
        first_strided.stride = (1, 1)
    return model


def count_macs(model, channels, size):
    """Multiply-accumulates for one image: conv out_h*out_w*out_c*(in_c/groups)*k_h*k_w, linear in*out.

    BN, activations, pooling and adds count zero. Runs one forward pass on zeros in eval mode (so BN works on a
    batch of one) and restores the model's mode afterwards.
    """
    h, w = _pair(size)
    total = [0]

    def on_conv(module, inputs, output):
        _, out_c, out_h, out_w = output.shape
        k_h, k_w = module.kernel_size
        total[0] += out_h * out_w * out_c * (module.in_channels // module.groups) * k_h * k_w

    def on_linear(module, inputs, output):
        total[0] += module.in_features * module.out_features

    handles = []
    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            handles.append(module.register_forward_hook(on_conv))
        elif isinstance(module, nn.Linear):
            handles.append(module.register_forward_hook(on_linear))
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            model(torch.zeros(1, channels, h, w))
    finally:
        for handle in handles:
            handle.remove()
        model.train(was_training)
    return total[0]
